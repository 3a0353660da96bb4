"""Rebuilding the monitor's figures from aggregates: occupancy and its profile per location
and night (kept by the register at import), the locations' capacity and quality (housing),
and the number of open signals. No person is read. Safe to run again: the figures of the
nights and months it covers are replaced, in one transaction."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from welkom.housing.selectors import location_figures
from welkom.lib.bulk import rows_insert
from welkom.monitor.indicators import PROVINCE
from welkom.monitor.models import Figure, Refresh
from welkom.places.models import Municipality
from welkom.register.selectors import occupancy_rows, open_signal_counts, profile_rows

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
    municipalities = {m.pk: m for m in Municipality.objects.select_related("region")}
    code_of = {pk: m.code for pk, m in municipalities.items()}

    # counts[(municipality code, night)][indicator] = value
    counts: dict[tuple[str, date], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    locations = {f.location_id: f for f in location_figures(on=today)}
    nights = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    by_municipality: dict[int, list] = defaultdict(list)
    for figures in locations.values():
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

    # Up from municipalities to regions and the province.
    region_of = {m.code: m.region.code for m in municipalities.values()}
    for (code, night), cell in list(counts.items()):
        for total in (region_of[code], PROVINCE):
            for indicator, value in cell.items():
                counts[(total, night)][indicator] += value

    # Months: the average night of each count over the nights that have it (a night without a
    # night list is unknown, not empty), and the location-nights over capacity summed. Signals
    # are a count of today, not of a month.
    sums: dict[tuple[str, date], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    nights_counted: dict[tuple[str, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (area, night), cell in counts.items():
        key = (area, _month(night))
        for indicator, value in cell.items():
            if not indicator.startswith("signals_"):
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

    rows = []
    for kind, table in ((Figure.Period.NIGHT, counts), (Figure.Period.MONTH, month_counts)):
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
    return RefreshSummary(first, last, len(rows), seconds)


def _with_shares(cell: dict[str, float]) -> dict[str, float]:
    values = {k: v for k, v in cell.items() if k not in _HELPERS}
    for share, (part, whole) in _SHARES.items():
        # A rate needs both: no persons counted (no night list) is unknown, not 0 %.
        if cell.get(whole) and (part in cell or part in _HELPERS):
            values[share] = 100 * cell.get(part, 0) / cell[whole]
    return values
