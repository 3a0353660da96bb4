"""The yearly monitor report: the map, the key figures, the housing gap and the progress of
the actions, as one print-ready page (`/monitor/report/<year>/`, `welkom monitor_report`).
Counts per area are shown as the province sees them: small cells hidden."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from welkom.monitor.indicators import PROVINCE, REGISTER
from welkom.monitor.models import Figure
from welkom.monitor.progress import known_progress
from welkom.monitor.selectors import (
    action_rows,
    external_rows,
    housing_gap,
    indicator_cells,
)
from welkom.places.models import Municipality

KEY_INDICATORS = (
    "persons", "capacity", "occupancy_rate", "locations", "certified_share", "compliant_share",
    "persons_brp", "persons_rni", "persons_none", "over_capacity",
)  # fmt: skip


def report_context(*, year: int) -> dict:
    """What the report shows for a year: the figures of its last month with data."""
    months = list(
        Figure.objects.filter(
            period_kind=Figure.Period.MONTH,
            area=PROVINCE,
            indicator="persons",
            period__gte=date(year, 1, 1),
            period__lte=date(year, 12, 1),
        )
        .order_by("-period")
        .values_list("period", flat=True)
    )
    month = months[0] if months else None
    night = (
        Figure.objects.filter(
            period_kind=Figure.Period.NIGHT,
            area=PROVINCE,
            indicator="capacity",
            period__year=year,
        )
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    context = {
        "year": year,
        "month": month,
        "made_on": timezone.localdate(),
        "external": external_rows(),
        "actions": action_rows(),
        "gap": housing_gap(night=night),
        "night": night,
        "known": known_progress(),
        "municipalities": list(Municipality.objects.all()),
    }
    if month is None:
        return context
    from welkom.monitor.views import choropleth

    cells = indicator_cells("persons", period_kind=Figure.Period.MONTH, period=month)
    context["map"], context["legend"] = choropleth(cells, title=str(REGISTER["persons"].label))
    context["cells"] = [c for c in cells if c.area.kind != "municipality"]
    context["municipality_cells"] = [c for c in cells if c.area.kind == "municipality"]
    context["key"] = [
        (REGISTER[i], next(
            c for c in indicator_cells(i, period_kind=Figure.Period.MONTH, period=month)
            if c.area.code == PROVINCE
        ))
        for i in KEY_INDICATORS
    ]  # fmt: skip
    return context
