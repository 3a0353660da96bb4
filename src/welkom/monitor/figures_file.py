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

from django.utils.translation import gettext as _

from welkom.lib.files import FileProblem, spreadsheet_records
from welkom.monitor.indicators import COUNT, EXTERNAL

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


def figures_file_read(data: bytes, *, areas: set[str]) -> tuple[list[FigureRow], list[FileProblem]]:
    """The file's figures, or every problem in it. `areas` are the area codes Welkom knows."""
    records, problems = spreadsheet_records(data)
    if problems:
        return [], problems
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        return [], [FileProblem(None, None, _("The file contains no rows."))]
    header_row, header = records[0]
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        return [], [
            FileProblem(
                header_row,
                None,
                _("The first row must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        ]
    rows: list[FigureRow] = []
    first_of: dict[tuple, int] = {}
    kinds: dict[str, tuple[str, str, int]] = {}
    for number, cells in records[1:]:
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)
        }
        row_problems = []

        def problem(column: str, message: str) -> None:
            row_problems.append(FileProblem(number, column, message))  # noqa: B023

        for column in REQUIRED:
            if not values.get(column):
                problem(column, _("This column may not be empty."))
        indicator = values.get("indicator", "")
        definition = EXTERNAL.get(indicator)
        if indicator and definition is None:
            problem(
                "indicator",
                _("Unknown indicator “%(value)s”. Use one of: %(known)s.")
                % {"value": indicator, "known": ", ".join(EXTERNAL)},
            )
        area = values.get("area_code", "").upper()
        if area and area not in areas:
            problem(
                "area_code",
                _(
                    "Unknown area code “%(value)s”. Use the CBS code of one of the 31 "
                    "municipalities (GM0983), NL421, NL422 or NL423 for a region, PV31 for "
                    "Limburg or NL01 for the Netherlands."
                )
                % {"value": values.get("area_code", "")},
            )
        period = values.get("period", "").upper().replace(" ", "")
        kind = period_kind(period) if period else None
        if period and kind is None:
            problem(
                "period",
                _("“%(value)s” is not a period. Write 2018, 2018-Q3, 2018-07 or 2010/2018.")
                % {"value": values.get("period", "")},
            )
        if kind and indicator:
            seen = kinds.setdefault(indicator, (kind, period, number))
            if seen[0] != kind:
                problem(
                    "period",
                    _(
                        "The periods of %(indicator)s are written in two ways in this file: "
                        "%(first)s (row %(row)s) and %(value)s. Use one way per indicator."
                    )
                    % {"indicator": indicator, "first": seen[1], "row": seen[2], "value": period},
                )
        if kind and indicator and (kind == "range") != (indicator in RANGE_ONLY):
            problem(
                "period",
                _("A growth has a period from one year to another, like 2010/2018; other "
                  "figures have a year, quarter or month.")
            )  # fmt: skip
        raw = values.get("value", "")
        value = _value(raw) if raw else None
        if raw and (value is None or _THOUSANDS.match(raw.strip())):
            value = None
            problem(
                "value",
                _("“%(value)s” is not a number. Write it without thousands separators: 75100.")
                % {"value": raw},
            )
        elif value is not None and (
            abs(value) >= 10**MAX_INTEGER_DIGITS or -value.as_tuple().exponent > 2
        ):
            problem(
                "value", _("Write a value with at most 12 digits before the point and 2 after it.")
            )
        elif value is not None and definition is not None and definition.unit == COUNT:
            if value < 0:
                problem("value", _("A count cannot be negative."))
            elif value != value.to_integral_value():
                problem(
                    "value",
                    _("A count is a whole number. Write it without thousands separators: 75100."),
                )
        for column, longest in (("source", 300), ("scenario", 60), ("vintage", 20)):
            if len(values.get(column, "")) > longest:
                problem(
                    column,
                    _("This column may be at most %(count)d characters long.") % {"count": longest},
                )
        scenario = " ".join(values.get("scenario", "").split())
        key = (indicator, area, period, scenario.casefold())
        if not row_problems and key in first_of:
            problem(
                "indicator",
                _("The same indicator, area, period and scenario as row %(row)s.")
                % {"row": first_of[key]},
            )
        first_of.setdefault(key, number)
        if row_problems:
            problems.extend(row_problems)
        else:
            rows.append(
                FigureRow(
                    number,
                    indicator,
                    area,
                    period,
                    scenario,
                    value,
                    values["source"],
                    values.get("vintage", ""),
                )
            )
    if len(records) == 1:
        problems.append(FileProblem(None, None, _("The file has a header but no figures.")))
    return ([] if problems else rows), problems


def figures_template_csv() -> bytes:
    """The template, with two example rows from the policy document."""
    lines = [
        ",".join(COLUMNS),
        "workers,PV31,2018,,75100,Decisio (2020) via Visie en aanpak internationale werknemers Limburg,2020",
        "housing_need,PV31,2030,,58900,Decisio (2020) via Visie en aanpak internationale werknemers Limburg,2020",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
