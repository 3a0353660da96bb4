"""The yearly monitor report: the map, the key figures, the housing gap and the progress of
the actions, as one print-ready page (`/monitor/report/<year>/`, `welkom monitor_report`).
Counts per area are shown as the province sees them: small cells hidden."""

from __future__ import annotations

from django.utils import timezone

from welkom.monitor.choropleth import choropleth
from welkom.monitor.indicators import PROVINCE, REGISTER
from welkom.monitor.models import Figure
from welkom.monitor.progress import known_progress
from welkom.monitor.selectors import (
    action_rows,
    external_rows,
    housing_gap,
    indicator_cells,
    months_available,
    period_table,
)
from welkom.places.models import Municipality

KEY_INDICATORS = (
    "persons", "capacity", "occupancy_rate", "locations", "certified_share", "compliant_share",
    "persons_brp", "persons_rni", "persons_none", "over_capacity",
)  # fmt: skip


def report_context(*, year: int) -> dict:
    """What the report shows for a year: the figures of its last complete month."""
    months = [m for m in months_available() if m.year == year]
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
    table = period_table(period_kind=Figure.Period.MONTH, period=month)
    cells = indicator_cells("persons", period_kind=Figure.Period.MONTH, period=month, table=table)
    context["map"], context["legend"] = choropleth(cells, title=str(REGISTER["persons"].label))
    context["cells"] = [c for c in cells if c.area.kind != "municipality"]
    context["municipality_cells"] = [c for c in cells if c.area.kind == "municipality"]
    province = next(c.area for c in cells if c.area.code == PROVINCE)
    context["key"] = [(REGISTER[i], table.cell(province, i)) for i in KEY_INDICATORS]
    return context
