"""Reading the monitor: areas, the figures of an indicator per area with small cells hidden
for the viewer, trends, external figures, the housing gap and its projection to 2030, and
the policy's progress. Everything here is a count or a share: never a person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from welkom.monitor.indicators import EXTERNAL, FAMILIES, NETHERLANDS, PROVINCE, REGISTER
from welkom.monitor.models import (
    ActionProgress,
    ExternalFigure,
    Figure,
    PolicyAction,
    Refresh,
)
from welkom.monitor.suppression import hidden_areas
from welkom.places.models import Municipality, Region

PUBLIC = "public"  # a viewer who sees no municipality unsuppressed


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
    return list(
        Figure.objects.filter(period_kind=Figure.Period.MONTH, area=PROVINCE, indicator="persons")
        .order_by("-period")
        .values_list("period", flat=True)
    )


@dataclass(frozen=True)
class Cell:
    area: Area
    value: float | None
    hidden: bool  # shown as "<5"

    @property
    def shown(self) -> str:
        if self.hidden:
            return "<5"
        if self.value is None:
            return "–"
        return f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,.1f}"


def indicator_cells(
    indicator: str, *, period_kind: str, period: date, viewer: str = PUBLIC
) -> list[Cell]:
    """The indicator for every area on a night or in a month. Counts of persons below 5, and
    what would give them away, are hidden, except for the viewer's own municipality (its
    CBS code) which sees its own figures as they are."""
    all_areas = areas()
    values = dict(
        Figure.objects.filter(
            indicator=indicator, period_kind=period_kind, period=period
        ).values_list("area", "value")
    )
    definition = REGISTER[indicator]
    hidden: set[str] = set()
    if definition.about_persons:
        basis = values
        if indicator == "occupancy_rate":  # a rate gives its count away with the capacity
            basis = dict(
                Figure.objects.filter(
                    indicator="persons", period_kind=period_kind, period=period
                ).values_list("area", "value")
            )
        hidden = hidden_areas(basis, parts_of(all_areas))
        family = next((f for f in FAMILIES if indicator in f), None)
        if family is not None:
            hidden |= _hidden_by_family(indicator, family, period_kind=period_kind, period=period)
        hidden -= {viewer}
    return [Cell(a, values.get(a.code), a.code in hidden) for a in all_areas]


def _hidden_by_family(indicator: str, family, *, period_kind: str, period: date) -> set[str]:
    """Areas where this part of a breakdown is hidden so that another hidden part of the same
    area cannot be worked out from the total and the parts shown."""
    by_area: dict[str, dict[str, float]] = defaultdict(dict)
    for area, part, value in Figure.objects.filter(
        indicator__in=family, period_kind=period_kind, period=period
    ).values_list("area", "indicator", "value"):
        by_area[area][part] = value
    return {
        area
        for area, parts in by_area.items()
        if indicator in hidden_areas(parts, {"total": list(family)})
    }


def trend(
    indicator: str, *, area_codes_: list[str], viewer: str = PUBLIC
) -> dict[str, list[tuple[date, float | None, bool]]]:
    """Per area, the indicator per month: (month, value, hidden)."""
    rows = Figure.objects.filter(
        indicator=indicator, period_kind=Figure.Period.MONTH, area__in=area_codes_
    ).values_list("area", "period", "value")
    series: dict[str, list] = {code: [] for code in area_codes_}
    about_persons = REGISTER[indicator].about_persons
    for area, period, value in sorted(rows, key=lambda r: r[1]):
        small = about_persons and 0 < value < 5 and area != viewer
        series[area].append((period, None if small else value, small))
    return series


@dataclass(frozen=True)
class ExternalRow:
    figure: ExternalFigure
    label: str
    area_name: str


def external_rows() -> list[ExternalRow]:
    names = area_names()
    return [
        ExternalRow(
            f,
            str(EXTERNAL[f.indicator].label) if f.indicator in EXTERNAL else f.indicator,
            names.get(f.area, f.area),
        )
        for f in ExternalFigure.objects.select_related("imported")
    ]


# --- The housing gap and its projection -------------------------------------------------------

TARGET_YEAR = 2030


@dataclass(frozen=True)
class GapRow:
    area: Area
    scenario: str
    need: Decimal
    capacity: float | None
    source: str

    @property
    def gap(self) -> float | None:
        return None if self.capacity is None else float(self.need) - self.capacity


def housing_gap(*, night: date | None) -> list[GapRow]:
    """Per area with an imported housing need for 2030: the need, per scenario, against the
    capacity the register counts on the night."""
    by_code = {a.code: a for a in areas()}
    capacity = {}
    if night is not None:
        capacity = dict(
            Figure.objects.filter(
                indicator="capacity", period_kind=Figure.Period.NIGHT, period=night
            ).values_list("area", "value")
        )
    rows = []
    for figure in ExternalFigure.objects.filter(indicator="housing_need", period=str(TARGET_YEAR)):
        if figure.area in by_code:
            rows.append(
                GapRow(
                    by_code[figure.area],
                    figure.scenario,
                    figure.value,
                    capacity.get(figure.area),
                    figure.source,
                )
            )
    return rows


@dataclass(frozen=True)
class Projection:
    label: str
    points: list[tuple[int, float]]  # (year, value)
    basis: str  # how the line was drawn, in words
    scenario: str = ""


def workers_projection() -> list[Projection]:
    """The number of international workers in Limburg to 2030, one line per scenario: a
    straight line from the last counted year to each scenario's 2030 figure (Decisio), and
    the line of the housing need scaled to each scenario. Transparent on purpose: the page
    says what each line assumes."""
    figures = ExternalFigure.objects.filter(area=PROVINCE)
    base = (
        figures.filter(indicator="workers", scenario="")
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
        lines.append(
            Projection(
                str(_("Workers, %(scenario)s") % {"scenario": target.scenario}),
                points,
                str(
                    _(
                        "A straight line from %(start_value)s workers in %(start)s (%(source)s) "
                        "to %(end_value)s in %(end)s (%(end_source)s)."
                    )
                    % {
                        "start_value": f"{base.value:,.0f}",
                        "start": start,
                        "source": base.source,
                        "end_value": f"{target.value:,.0f}",
                        "end": TARGET_YEAR,
                        "end_source": target.source,
                    }
                ),
                target.scenario,
            )
        )
    need = figures.filter(indicator="housing_need", period=str(TARGET_YEAR)).first()
    workers_then = (
        figures.filter(indicator="workers", period=str(TARGET_YEAR), scenario=need.scenario).first()
        if need is not None
        else None
    )
    if need is not None and workers_then is not None and workers_then.value:
        ratio = float(need.value) / float(workers_then.value)
        for worker_line in list(lines):
            lines.append(
                Projection(
                    str(_("Housing need, %(scenario)s") % {"scenario": worker_line.scenario}),
                    [(year, workers * ratio) for year, workers in worker_line.points],
                    str(
                        _(
                            "The workers of the line above times %(ratio)s: Decisio's housing "
                            "need for 2030 (%(need)s units, %(scenario)s) divided by its workers "
                            "for 2030 in that scenario (%(workers)s). Assumes the same units "
                            "per worker in every year and scenario."
                        )
                        % {
                            "ratio": f"{ratio:.2f}",
                            "need": f"{need.value:,.0f}",
                            "scenario": need.scenario or "–",
                            "workers": f"{workers_then.value:,.0f}",
                        }
                    ),
                    worker_line.scenario,
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
