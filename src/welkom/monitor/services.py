"""Changing the monitor's data: rebuilding the register's figures from aggregates
(`monitor_refresh`), importing (and removing) a file of external figures, and recording the
progress of an action.

The refresh reads occupancy and its profile per location and night (kept by the register at
import), the locations' capacity and quality (housing), and the number of open signals. No
person is read. Safe to run again: the figures of the nights and months it covers are
replaced, in one transaction."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from welkom.housing.selectors import location_figures
from welkom.lib.bulk import rows_insert
from welkom.lib.locks import serialised
from welkom.lib.problems import Problem
from welkom.lib.public_pages import public_pages_changed
from welkom.monitor.figures_file import figures_file_read, period_kind
from welkom.monitor.indicators import LAST_NIGHT_ONLY, PERSON_SHARES, PROVINCE
from welkom.monitor.models import ActionProgress, ExternalFigure, Figure, FiguresImport, Refresh
from welkom.monitor.selectors import area_codes
from welkom.places.models import Municipality
from welkom.register.selectors import (
    occupancy_rows,
    open_signal_counts,
    open_signal_counts_by_rule,
    profile_rows,
)
from welkom.work.findings import HOUSING_ENDS_WITH_JOB, RENT_DEDUCTED
from welkom.work.models import PlacementCount
from welkom.work.services import COUNTED as PLACEMENT_COUNTED


@dataclass
class FiguresImportSummary:
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    record: FiguresImport | None = None
    new: list = field(default_factory=list)  # the rows whose figures are not in Welkom yet


@transaction.atomic
def figures_import(
    *, data: bytes, filename: str, user=None, source: str = FiguresImport.Source.UPLOAD
) -> FiguresImportSummary:
    """All the file's figures, or none. A figure already in Welkom with the same value and
    source is left alone (so a file sent twice changes nothing); one with another value is a
    problem: remove the earlier import first. Every file is kept on record with its outcome,
    in the same transaction as its figures. Files are applied one at a time (two at once
    would both find a figure new and store it twice); `lib.locks.Busy` when one waits too
    long."""
    serialised("monitor.figures.import", wait=settings.IMPORT_WAIT_SECONDS)
    summary = _figures_checked(data)
    if summary.problems:
        status = FiguresImport.Status.REJECTED
    elif summary.new:
        status = FiguresImport.Status.APPLIED
    else:
        status = FiguresImport.Status.UNCHANGED
    record = FiguresImport(
        submitted_by=user if getattr(user, "pk", None) else None,
        source=source,
        status=status,
        counts={
            "rows": summary.rows,
            "added": 0 if summary.problems else len(summary.new),
            "unchanged": summary.unchanged,
        },
        problems=[problem.as_json() for problem in summary.problems],
    )
    record.file_keep(data, filename)
    record.save()
    summary.record = record
    if status != FiguresImport.Status.APPLIED:
        return summary
    ExternalFigure.objects.bulk_create(
        ExternalFigure(
            indicator=r.indicator,
            area=r.area,
            period=r.period,
            scenario=r.scenario,
            value=r.value,
            source=r.source,
            vintage=r.vintage,
            imported=record,
        )
        for r in summary.new
    )
    summary.added = len(summary.new)
    return summary


def _figures_checked(data: bytes) -> FiguresImportSummary:
    """The file's rows checked against the figures Welkom has: the new ones in `new`, the
    same ones counted in `unchanged`, and every problem."""
    rows, problems = figures_file_read(data, areas=area_codes())
    summary = FiguresImportSummary(rows=len(rows), problems=problems)
    if problems:
        return summary
    stored = list(ExternalFigure.objects.filter(indicator__in={r.indicator for r in rows}))
    existing = {(f.indicator, f.area, f.period, f.scenario.casefold()): f for f in stored}
    # Across imports too, an indicator's periods are written one way.
    kinds = {f.indicator: (period_kind(f.period), f) for f in stored}
    new = summary.new
    for row in rows:
        before = existing.get((row.indicator, row.area, row.period, row.scenario.casefold()))
        earlier = kinds.get(row.indicator)
        if earlier and earlier[0] != period_kind(row.period):
            summary.problems.append(
                Problem(
                    row.row,
                    "period",
                    gettext_noop(
                        "Welkom already has %(indicator)s for period %(period)s; write the "
                        "periods of one indicator the same way in every file."
                    ),
                    {"indicator": row.indicator, "period": earlier[1].period},
                )
            )
        elif before is None:
            new.append(row)
        elif (before.value, before.source, before.vintage) == (row.value, row.source, row.vintage):
            summary.unchanged += 1
        else:
            summary.problems.append(_already(row.row, before))
    return summary


def _already(row: int, before: ExternalFigure) -> Problem:
    return Problem(
        row,
        "value",
        gettext_noop(
            "Welkom already has this figure with value %(value)s from “%(source)s”, vintage "
            "“%(vintage)s” (file "
            "%(file)s of %(day)s). Remove that import first if this one replaces it."
        ),
        {
            "value": str(before.value.normalize()),
            "source": before.source,
            "vintage": before.vintage or "–",
            "file": before.imported.filename,
            "day": date_format(before.imported.created_at, "DATE_FORMAT"),
        },
    )


@transaction.atomic
def figures_import_remove(record: FiguresImport) -> int:
    """Remove an import and every figure it added; returns how many."""
    removed = record.figures.count()
    record.delete()
    public_pages_changed()
    return removed


def progress_set(*, action, municipality, status: str, note: str, user) -> ActionProgress:
    progress, _created = ActionProgress.objects.update_or_create(
        action=action,
        municipality=municipality,
        defaults={"status": status, "note": note, "updated_by": user},
    )
    return progress


# --- The register's figures ------------------------------------------------------------------

# Nights counted back from the last night: a little over a year, so that a month a year ago
# compares with this one. Months are always counted whole.
HISTORY_NIGHTS = 400
ONE_DAY = timedelta(days=1)

# Counts that add up from municipality to region to province; the shares and the rate are
# worked out from their sums afterwards.
_SHARES = {
    "certified_share": ("certified", "locations"),
    "compliant_share": ("compliant", "locations"),
    "occupancy_rate": ("persons", "capacity"),
    **{share: (part, whole) for share, part, whole in PERSON_SHARES},
}
_HELPERS = ("certified", "compliant")  # counted for the shares, not stored
SUMMED_OVER_A_MONTH = ("over_capacity",)  # the rest of a month is its average night


@dataclass(frozen=True)
class RefreshSummary:
    first_night: date
    last_night: date
    figures: int
    seconds: float


def _month(night: date) -> date:
    return night.replace(day=1)


@transaction.atomic
def monitor_refresh(*, today: date, history_nights: int = HISTORY_NIGHTS) -> RefreshSummary:
    """Figures for every night from about `history_nights` ago up to last night, and for
    every month those nights touch, per municipality, region and province."""
    started = time.perf_counter()
    last = today - ONE_DAY
    first = _month(last - timedelta(days=history_nights - 1))
    counts = _night_counts(first=first, last=last, today=today)
    rows = []
    for kind, table in (
        (Figure.Period.NIGHT, counts),
        (Figure.Period.MONTH, _month_counts(counts)),
    ):
        for (area, period), cell in table.items():
            for indicator, value in _with_shares(cell).items():
                rows.append((area, kind, period, indicator, round(value, 2)))
    Figure.objects.filter(
        period_kind=Figure.Period.NIGHT, period__gte=first, period__lte=last
    ).delete()
    Figure.objects.filter(
        period_kind=Figure.Period.MONTH, period__gte=first, period__lte=_month(last)
    ).delete()
    rows_insert(Figure, ("area", "period_kind", "period", "indicator", "value"), rows)
    seconds = time.perf_counter() - started
    Refresh.objects.create(
        last_night=last, first_night=first, figures=len(rows), seconds=round(seconds, 2)
    )
    public_pages_changed()
    return RefreshSummary(first, last, len(rows), seconds)


# counts[(area code, night)][indicator] = value
Counts = dict[tuple[str, date], dict[str, float]]


def _night_counts(*, first: date, last: date, today: date) -> Counts:
    """Every night's counts per municipality, then summed up to regions and the province."""
    municipalities = {m.pk: m for m in Municipality.objects.select_related("region")}
    code_of = {pk: m.code for pk, m in municipalities.items()}
    counts: Counts = defaultdict(lambda: defaultdict(float))
    locations = {f.location_id: f for f in location_figures(on=today)}
    _locations_count(counts, locations.values(), code_of, first=first, last=last)
    for location_id, night, persons in occupancy_rows(first=first, last=last).iterator():
        f = locations.get(location_id)
        if f is None:
            continue
        cell = counts[(code_of[f.municipality_id], night)]
        cell["persons"] += persons
        if f.stay_type:
            cell[f"persons_{f.stay_type}"] += persons
        if f.capacity is not None:
            cell["over_capacity"] += persons > f.capacity
    for municipality_id, night, registration, group, persons in profile_rows(
        first=first, last=last
    ):
        cell = counts[(code_of[municipality_id], night)]
        cell[f"persons_{registration}"] += persons
        cell[f"persons_{group}"] += persons
    for municipality_id, (open_, overdue) in open_signal_counts().items():
        cell = counts[(code_of[municipality_id], last)]
        cell["signals_open"] += open_
        cell["signals_overdue"] += overdue
    _work_count(counts, code_of, last=last)

    # Up from municipalities to regions and the province.
    region_of = {m.code: m.region.code for m in municipalities.values()}
    for (code, night), cell in list(counts.items()):
        for total in (region_of[code], PROVINCE):
            for indicator, value in cell.items():
                counts[(total, night)][indicator] += value
    return counts


def _work_count(counts: Counts, code_of: dict[int, str], *, last: date) -> None:
    """Last night's placement counts (kept by `welkom placement_counts`) and today's work
    signals per municipality."""
    for municipality_id, *values in PlacementCount.objects.filter(night=last).values_list(
        "municipality_id", *PLACEMENT_COUNTED
    ):
        cell = counts[(code_of[municipality_id], last)]
        for indicator, value in zip(PLACEMENT_COUNTED, values, strict=True):
            cell[indicator] += value
    for (municipality_id, rule), number in open_signal_counts_by_rule(
        [HOUSING_ENDS_WITH_JOB, RENT_DEDUCTED]
    ).items():
        indicator = "signals_transition" if rule == HOUSING_ENDS_WITH_JOB else "signals_rent"
        counts[(code_of[municipality_id], last)][indicator] += number


def _locations_count(
    counts: Counts, locations, code_of: dict[int, str], *, first: date, last: date
) -> None:
    """The open locations of each municipality and night, with their capacity and quality."""
    nights = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    by_municipality: dict[int, list] = defaultdict(list)
    for figures in locations:
        by_municipality[figures.municipality_id].append(figures)
    for municipality_id, located in by_municipality.items():
        code = code_of[municipality_id]
        for night in nights:
            open_ = [f for f in located if f.open_on(night)]
            if not open_:
                continue
            cell = counts[(code, night)]
            cell["locations"] += len(open_)
            for f in open_:
                cell["capacity"] += f.capacity or 0
                if f.stay_type:
                    cell[f"capacity_{f.stay_type}"] += f.capacity or 0
                cell["certified"] += f.certified_until is not None and f.certified_until >= night
                cell["compliant"] += f.compliant


def _month_counts(counts: Counts) -> Counts:
    """Months: the average night of each count over the nights that have it (a night without
    a night list is unknown, not empty), and the location-nights over capacity summed.
    Signals and placements are a count of today (`LAST_NIGHT_ONLY`), not of a month."""
    sums: Counts = defaultdict(lambda: defaultdict(float))
    nights_counted: dict[tuple[str, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (area, night), cell in counts.items():
        key = (area, _month(night))
        for indicator, value in cell.items():
            if indicator not in LAST_NIGHT_ONLY:
                sums[key][indicator] += value
                nights_counted[key][indicator] += 1
    month_counts = {}
    for key, cell in sums.items():
        # Persons and their breakdowns over the nights with a list (a group absent on a night
        # counts 0 there), so that the parts still add up to the whole; the rest over the
        # nights that have them.
        person_nights = nights_counted[key].get("persons", 0)
        month_counts[key] = {
            indicator: (
                value
                if indicator in SUMMED_OVER_A_MONTH
                else value / (person_nights if indicator.startswith("persons") and person_nights
                              else nights_counted[key][indicator])
            )
            for indicator, value in cell.items()
        }  # fmt: skip
    return month_counts


def _with_shares(cell: dict[str, float]) -> dict[str, float]:
    values = {k: v for k, v in cell.items() if k not in _HELPERS}
    for share, (part, whole) in _SHARES.items():
        # A rate needs both: no persons counted (no night list) is unknown, not 0 %.
        if cell.get(whole) and (part in cell or part in _HELPERS):
            values[share] = 100 * cell.get(part, 0) / cell[whole]
    return values
