"""Reading a spreadsheet of external figures (the documented template): one figure per row,
`indicator, area_code, period, scenario, value, source` and optionally `vintage`. Every
problem is reported by row and column; a file with any problem is refused whole.

Periods are written one way: `2018` (a year), `2018-Q3` (a quarter), `2018-07` (a month) or
`2010/2018` (from one year to another, for a growth). Within one file, an indicator's periods
are all written the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

from welkom.lib.files import spreadsheet_records
from welkom.lib.problems import Problem
from welkom.lib.text import DIRECTION_CHARACTERS, direction_marked
from welkom.monitor.indicators import COUNT, EXTERNAL, Indicator

COLUMNS = ("indicator", "area_code", "period", "scenario", "value", "source", "vintage")
REQUIRED = ("indicator", "area_code", "period", "value", "source")
ALIASES = {  # Dutch headers people write
    "gebiedscode": "area_code",
    "gebied": "area_code",
    "area": "area_code",
    "periode": "period",
    "waarde": "value",
    "bron": "source",
    "jaargang": "vintage",
}
_PERIODS = {
    "year": re.compile(r"^\d{4}$"),
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "range": re.compile(r"^(\d{4})/(\d{4})$"),
}


@dataclass(frozen=True)
class FigureRow:
    row: int
    indicator: str
    area: str
    period: str
    scenario: str
    value: Decimal
    source: str
    vintage: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.indicator, self.area, self.period, self.scenario)


def period_kind(period: str) -> str | None:
    for kind, pattern in _PERIODS.items():
        match = pattern.match(period)
        if match and (kind != "range" or match.group(1) < match.group(2)):
            return kind
    return None


_THOUSANDS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")  # 75.100, 120,000: a separator, not decimals
MAX_INTEGER_DIGITS = 12  # as stored: 14 digits, 2 after the point
RANGE_ONLY = {"workers_growth"}  # a growth is always from one year to another


def _value(text: str) -> Decimal | None:
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def figures_file_read(data: bytes, *, areas: set[str]) -> tuple[list[FigureRow], list[Problem]]:
    """The file's figures, or every problem in it. `areas` are the area codes Welkom knows."""
    records, problems = spreadsheet_records(data)
    if problems:
        return [], problems
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        return [], [Problem(None, None, gettext_noop("The file contains no rows."))]
    header_row, header = records[0]
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        return [], [
            Problem(
                header_row,
                None,
                gettext_noop("The first row must name the columns; missing: %(columns)s."),
                {"columns": ", ".join(missing)},
            )
        ]
    rows: list[FigureRow] = []
    first_of: dict[tuple, int] = {}
    kinds: dict[str, tuple[str, str, int]] = {}
    for number, cells in records[1:]:
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)
        }
        marked = [name for name, value in values.items() if direction_marked(value)]
        if marked:
            problems.extend(Problem(number, name, DIRECTION_CHARACTERS) for name in marked)
            continue
        row, row_problems = _row_read(number, values, areas=areas, kinds=kinds, first_of=first_of)
        if row_problems:
            problems.extend(row_problems)
        else:
            rows.append(row)
    if len(records) == 1:
        problems.append(Problem(None, None, gettext_noop("The file has a header but no figures.")))
    return ([] if problems else rows), problems


def _row_read(
    number: int,
    values: dict[str, str],
    *,
    areas: set[str],
    kinds: dict[str, tuple[str, str, int]],
    first_of: dict[tuple, int],
) -> tuple[FigureRow | None, list[Problem]]:
    """One row's figure, or its problems. `kinds` and `first_of` remember the earlier rows."""
    found = [
        (column, gettext_noop("This column may not be empty."), {})
        for column in REQUIRED
        if not values.get(column)
    ]
    indicator = values.get("indicator", "")
    definition = EXTERNAL.get(indicator)
    if indicator and definition is None:
        found.append(
            (
                "indicator",
                gettext_noop("Unknown indicator “%(value)s”. Use one of: %(known)s."),
                {"value": indicator, "known": ", ".join(EXTERNAL)},
            )
        )
    area = values.get("area_code", "").upper()
    if area and area not in areas:
        found.append(
            (
                "area_code",
                gettext_noop(
                    "Unknown area code “%(value)s”. Use the CBS code of one of the 31 "
                    "municipalities (GM0983), NL421, NL422 or NL423 for a region, PV31 for "
                    "Limburg or NL01 for the Netherlands."
                ),
                {"value": values.get("area_code", "")},
            )
        )
    period = values.get("period", "").upper().replace(" ", "")
    found += _period_problems(number, indicator, period, values.get("period", ""), kinds)
    value, value_problems = _value_read(values.get("value", ""), definition)
    found += value_problems
    for column, longest in (("source", 300), ("scenario", 60), ("vintage", 20)):
        if len(values.get(column, "")) > longest:
            found.append(
                (
                    column,
                    gettext_noop("This column may be at most %(count)d characters long."),
                    {"count": longest},
                )
            )
    scenario = " ".join(values.get("scenario", "").split())
    key = (indicator, area, period, scenario.casefold())
    if not found and key in first_of:
        found.append(
            (
                "indicator",
                gettext_noop("The same indicator, area, period and scenario as row %(row)s."),
                {"row": first_of[key]},
            )
        )
    first_of.setdefault(key, number)
    if found:
        return None, [Problem(number, column, message, params) for column, message, params in found]
    row = FigureRow(
        number,
        indicator,
        area,
        period,
        scenario,
        value,
        values["source"],
        values.get("vintage", ""),
    )
    return row, []


def _period_problems(
    number: int, indicator: str, period: str, written: str, kinds: dict[str, tuple[str, str, int]]
) -> list[tuple[str, str, dict]]:
    """What is wrong with a row's period, as (column, message); `written` as in the file."""
    found = []
    kind = period_kind(period) if period else None
    if period and kind is None:
        found.append(
            (
                "period",
                gettext_noop(
                    "“%(value)s” is not a period. Write 2018, 2018-Q3, 2018-07 or 2010/2018."
                ),
                {"value": written},
            )
        )
    if kind and indicator:
        seen = kinds.setdefault(indicator, (kind, period, number))
        if seen[0] != kind:
            found.append(
                (
                    "period",
                    gettext_noop(
                        "The periods of %(indicator)s are written in two ways in this file: "
                        "%(first)s (row %(row)s) and %(value)s. Use one way per indicator."
                    ),
                    {"indicator": indicator, "first": seen[1], "row": seen[2], "value": period},
                )
            )
    if kind and indicator and (kind == "range") != (indicator in RANGE_ONLY):
        found.append(
            (
                "period",
                gettext_noop(
                    "A growth has a period from one year to another, like 2010/2018; other "
                    "figures have a year, quarter or month."
                ),
                {},
            )
        )
    return found


def _value_read(
    raw: str, definition: Indicator | None
) -> tuple[Decimal | None, list[tuple[str, str, dict]]]:
    """A row's value, and what is wrong with it as (column, message)."""
    value = _value(raw) if raw else None
    if raw and (value is None or _THOUSANDS.match(raw.strip())):
        return None, [
            (
                "value",
                gettext_noop(
                    "“%(value)s” is not a number. Write it without thousands separators: 75100."
                ),
                {"value": raw},
            )
        ]
    if value is not None and (
        abs(value) >= 10**MAX_INTEGER_DIGITS or -value.as_tuple().exponent > 2
    ):
        return value, [
            (
                "value",
                gettext_noop(
                    "Write a value with at most 12 digits before the point and 2 after it."
                ),
                {},
            )
        ]
    if value is not None and definition is not None and definition.unit == COUNT:
        if value < 0:
            return value, [("value", gettext_noop("A count cannot be negative."), {})]
        if value != value.to_integral_value():
            return value, [
                (
                    "value",
                    gettext_noop(
                        "A count is a whole number. Write it without thousands separators: 75100."
                    ),
                    {},
                )
            ]
    return value, []


def figures_template_csv() -> bytes:
    """The template, with two example rows from the policy document."""
    lines = [
        ",".join(COLUMNS),
        "workers,PV31,2018,,75100,Decisio (2020) via Visie en aanpak internationale werknemers Limburg,2020",
        "housing_need,PV31,2030,,58900,Decisio (2020) via Visie en aanpak internationale werknemers Limburg,2020",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
