"""Reading the monitor: areas, the figures of an indicator per area with small cells hidden
for the viewer, trends, external figures, the housing gap and its projection to 2030, and
the policy's progress. Everything here is a count or a share: never a person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from welkom.monitor.indicators import (
    COUNT,
    EXTERNAL,
    FAMILIES,
    NETHERLANDS,
    PART_FAMILIES,
    PERSON_SHARES,
    PROVINCE,
    REGISTER,
)
from welkom.monitor.models import (
    ActionProgress,
    ExternalFigure,
    Figure,
    PolicyAction,
    Refresh,
)
from welkom.monitor.suppression import THRESHOLD, hidden_cells
from welkom.places.models import Municipality, Region


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kind: str  # municipality, region, province
    parent: str = ""


def areas() -> list[Area]:
    found = [Area(PROVINCE, str(_("Limburg (province)")), "province")]
    for region in Region.objects.all():
        found.append(Area(region.code, region.name, "region", PROVINCE))
    for municipality in Municipality.objects.select_related("region"):
        found.append(
            Area(municipality.code, municipality.name, "municipality", municipality.region.code)
        )
    return found


def area_codes() -> set[str]:
    return {a.code for a in areas()} | {NETHERLANDS}


def area_names() -> dict[str, str]:
    names = {a.code: a.name for a in areas()}
    names[NETHERLANDS] = str(_("the Netherlands"))
    return names


def parts_of(all_areas: list[Area]) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = defaultdict(list)
    for area in all_areas:
        if area.parent:
            parts[area.parent].append(area.code)
    return dict(parts)


def latest_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-ran_at").first()


def nights_available() -> list[date]:
    return list(
        Figure.objects.filter(period_kind=Figure.Period.NIGHT, area=PROVINCE, indicator="persons")
        .order_by("-period")
        .values_list("period", flat=True)
    )


def months_available() -> list[date]:
    """Months whose every night lies before the last refresh: a month still running would
    let its few nights be worked out from its average."""
    refresh = latest_refresh()
    if refresh is None:
        return []
    months = (
        Figure.objects.filter(period_kind=Figure.Period.MONTH, area=PROVINCE, indicator="persons")
        .order_by("-period")
        .values_list("period", flat=True)
    )
    return [m for m in months if _month_end(m) <= refresh.last_night]


def _month_end(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)


# Counts about persons: hidden when small, and summed from municipality to region to province.
PERSON_COUNTS = tuple(code for code, i in REGISTER.items() if i.about_persons and i.unit == COUNT)


@dataclass(frozen=True)
class Cell:
    area: Area
    value: float | None
    hidden: str | None = None  # suppression.PRIMARY ("<5") or SECONDARY ("×")


@dataclass(frozen=True)
class PeriodTable:
    """Every figure of a night or month, with what the viewer may not see."""

    values: dict[tuple[str, str], float]
    hidden: dict[tuple[str, str], str]

    def cell(self, area: Area, indicator: str) -> Cell:
        key = (area.code, indicator)
        return Cell(area, self.values.get(key), self.hidden.get(key))


def period_table(
    *, period_kind: str, period: date, known: frozenset[str] | set[str] = frozenset()
) -> PeriodTable:
    """The figures of a night or month with small cells hidden as the public sees them (see
    suppression.py); the municipalities in `known` are the viewer's own and are shown."""
    # A month's counts of persons are averages: shown as whole numbers, so that a night
    # hidden on its own cannot be narrowed down from the month and the other nights.
    whole = period_kind == Figure.Period.MONTH
    values = {
        (area, indicator): float(round(value)) if whole and indicator in PERSON_COUNTS else value
        for area, indicator, value in Figure.objects.filter(
            period_kind=period_kind, period=period
        ).values_list("area", "indicator", "value")
    }
    all_areas = areas()
    sums = [
        ((total, indicator), [(part, indicator) for part in parts])
        for total, parts in parts_of(all_areas).items()
        for indicator in PERSON_COUNTS
    ]
    breakdowns = [
        ((a.code, "persons"), [(a.code, indicator) for indicator in family])
        for a in all_areas
        for family in FAMILIES
    ] + [
        ((a.code, whole), [(a.code, indicator) for indicator in parts])
        for a in all_areas
        for whole, parts in PART_FAMILIES
    ]
    linked = {
        (a.code, "persons"): [
            (a.code, "occupancy_rate"),
            (a.code, "over_capacity"),
            *((a.code, indicator) for family in FAMILIES for indicator in family),
        ]
        for a in all_areas
    }
    # A share of persons goes with either of its counts.
    for a in all_areas:
        for share, part, whole in PERSON_SHARES:
            for count in (part, whole):
                linked.setdefault((a.code, count), []).append((a.code, share))
    # What the public sees, for every view: a municipality's own view shows its own cells on
    # top, which it knows anyway, so no two views together give away a hidden cell.
    public = hidden_cells(
        values, counts=PERSON_COUNTS, sums=sums + breakdowns, linked=linked, breakdowns=breakdowns
    )
    own = {(code, indicator) for code in known for indicator in REGISTER}
    return PeriodTable(values, {cell: how for cell, how in public.items() if cell not in own})


def indicator_cells(
    indicator: str,
    *,
    period_kind: str,
    period: date,
    known: frozenset[str] | set[str] = frozenset(),
    table: PeriodTable | None = None,
) -> list[Cell]:
    """The indicator for every area on a night or in a month, as the viewer may see it."""
    table = table or period_table(period_kind=period_kind, period=period, known=known)
    return [table.cell(a, indicator) for a in areas()]


def trend(
    indicator: str, *, area_codes_: list[str], known: frozenset[str] | set[str] = frozenset()
) -> dict[str, list[tuple[date, float | None, str | None]]]:
    """Per area, the indicator per complete month: (month, value, hidden), suppressed month by
    month as the tables are."""
    by_code = {a.code: a for a in areas()}
    series: dict[str, list] = {code: [] for code in area_codes_}
    for month in sorted(months_available()):
        table = period_table(period_kind=Figure.Period.MONTH, period=month, known=known)
        for code in area_codes_:
            cell = table.cell(by_code[code], indicator)
            if cell.value is not None or cell.hidden:
                series[code].append((month, None if cell.hidden else cell.value, cell.hidden))
    return series


@dataclass(frozen=True)
class ExternalRow:
    figure: ExternalFigure
    label: str
    area_name: str
    hidden: bool  # a count of persons below 5 for a municipality: shown as "<5"


def external_rows() -> list[ExternalRow]:
    names = area_names()
    municipalities = {a.code for a in areas() if a.kind == "municipality"}
    rows = []
    for figure in ExternalFigure.objects.select_related("imported"):
        definition = EXTERNAL.get(figure.indicator)
        hidden = (
            definition is not None
            and definition.about_persons
            and definition.unit == COUNT
            and figure.area in municipalities
            and 0 < figure.value < THRESHOLD
        )
        rows.append(
            ExternalRow(
                figure,
                str(definition.label) if definition else figure.indicator,
                names.get(figure.area, figure.area),
                hidden,
            )
        )
    return rows


# --- The housing gap and its projection -------------------------------------------------------

TARGET_YEAR = 2030


@dataclass(frozen=True)
class GapRow:
    area: Area
    stay_type: str  # "" for all kinds of stay together
    scenario: str
    need: Decimal
    capacity: float | None  # persons the open locations may house; a unit houses one person
    source: str

    @property
    def gap(self) -> float | None:
        return None if self.capacity is None else float(self.need) - self.capacity


# The housing need per kind of stay, and the register's capacity it is set against.
NEED_AGAINST_CAPACITY = {
    "housing_need": ("", "capacity"),
    "housing_need_short": ("short", "capacity_short"),
    "housing_need_mid": ("mid", "capacity_mid"),
    "housing_need_long": ("long", "capacity_long"),
}


def housing_gap(*, night: date | None) -> list[GapRow]:
    """Per area with an imported housing need for 2030, in all and per kind of stay: the
    need, per scenario, against the capacity the register counts on the night."""
    by_code = {a.code: a for a in areas()}
    capacity: dict[tuple[str, str], float] = {}
    if night is not None:
        capacity = {
            (area, indicator): value
            for area, indicator, value in Figure.objects.filter(
                indicator__in=[c for _t, c in NEED_AGAINST_CAPACITY.values()],
                period_kind=Figure.Period.NIGHT,
                period=night,
            ).values_list("area", "indicator", "value")
        }
    rows = []
    for figure in ExternalFigure.objects.filter(
        indicator__in=list(NEED_AGAINST_CAPACITY), period=str(TARGET_YEAR)
    ).order_by("area", "indicator", "scenario"):
        if figure.area in by_code:
            stay_type, against = NEED_AGAINST_CAPACITY[figure.indicator]
            rows.append(
                GapRow(
                    by_code[figure.area], stay_type, figure.scenario, figure.value,
                    capacity.get((figure.area, against)), figure.source,
                )
            )  # fmt: skip
    return rows


@dataclass(frozen=True)
class Projection:
    """A line to 2030 and what it was drawn from (templatetags/monitor.py says it in words)."""

    kind: str  # "workers": a straight line; "housing_need": the workers line times `ratio`
    scenario: str
    points: list[tuple[int, float]]  # (year, value)
    start: ExternalFigure  # the last counted year (workers), or Decisio's need for 2030
    end: ExternalFigure  # the scenario's workers in 2030
    ratio: float | None = None


def workers_projection() -> list[Projection]:
    """The number of international workers in Limburg to 2030, one line per scenario: a
    straight line from the last counted year to each scenario's 2030 figure (Decisio), and
    the line of the housing need scaled to each scenario. Transparent on purpose: the page
    says what each line assumes."""
    figures = ExternalFigure.objects.filter(area=PROVINCE)
    base = (
        figures.filter(indicator="workers", scenario="", period__lt=str(TARGET_YEAR))
        .exclude(period__contains="/")
        .order_by("-period")
        .first()
    )
    lines = []
    if base is None:
        return lines
    start = int(base.period[:4])
    for target in figures.filter(indicator="workers", period=str(TARGET_YEAR)).exclude(scenario=""):
        points = _straight(start, float(base.value), TARGET_YEAR, float(target.value))
        lines.append(Projection("workers", target.scenario, points, base, target))
    # The ratio of units to workers comes from a scenario that has both for 2030.
    pairs = [
        (
            need,
            figures.filter(indicator="workers", period=need.period, scenario=need.scenario).first(),
        )
        for need in figures.filter(indicator="housing_need", period=str(TARGET_YEAR))
    ]
    pairs = [(need, workers) for need, workers in pairs if workers is not None and workers.value]
    need, workers_then = pairs[0] if pairs else (None, None)
    if need is not None:
        ratio = float(need.value) / float(workers_then.value)
        for worker_line in list(lines):
            lines.append(
                Projection(
                    "housing_need",
                    worker_line.scenario,
                    [(year, workers * ratio) for year, workers in worker_line.points],
                    need,
                    workers_then,
                    ratio,
                )
            )
    return lines


def _straight(x0: int, y0: float, x1: int, y1: float) -> list[tuple[int, float]]:
    return [(x, y0 + (y1 - y0) * (x - x0) / (x1 - x0)) for x in range(x0, x1 + 1)]


def register_yearly(indicator: str) -> list[tuple[int, float]]:
    """The register's figure for the province per year: the average of its months."""
    per_year: dict[int, list[float]] = defaultdict(list)
    for period, value in Figure.objects.filter(
        indicator=indicator, period_kind=Figure.Period.MONTH, area=PROVINCE
    ).values_list("period", "value"):
        per_year[period.year].append(value)
    return [(year, sum(v) / len(v)) for year, v in sorted(per_year.items())]


# --- The policy's progress --------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    action: PolicyAction
    overall: ActionProgress | None
    per_municipality: dict[str, ActionProgress]  # municipality code → its progress
    done: int  # municipalities that have done it


def action_rows() -> list[ActionRow]:
    progress: dict[int, dict[str | None, ActionProgress]] = defaultdict(dict)
    for item in ActionProgress.objects.select_related("municipality"):
        key = item.municipality.code if item.municipality else None
        progress[item.action_id][key] = item
    rows = []
    themes = list(PolicyAction.Theme.values)  # housing, work, living together, general
    ordered = sorted(
        PolicyAction.objects.all(),
        key=lambda a: (themes.index(a.theme), int("".join(filter(str.isdigit, a.code)) or 0)),
    )
    for action in ordered:
        mine = progress.get(action.pk, {})
        per = {k: v for k, v in mine.items() if k is not None}
        rows.append(
            ActionRow(action, mine.get(None), per, sum(v.status == "done" for v in per.values()))
        )
    return rows
