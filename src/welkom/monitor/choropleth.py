"""The monitor's map: municipalities shaded by a figure, from places' SVG maps."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.safestring import SafeString

from welkom.monitor.templatetags.monitor import shown as figure_shown
from welkom.places.maps import Area as MapArea
from welkom.places.maps import map_svg
from welkom.places.models import Municipality


def choropleth(cells, *, title: str) -> tuple[SafeString, list[tuple[int, str]]]:
    """Municipalities shaded by their shown value, in up to five bands of about as many
    municipalities each; hidden ones and those without a figure are hatched. Returns the SVG
    and the legend as (band, text)."""
    shown = sorted(
        {c.value for c in cells if c.area.kind == "municipality" and c.value and not c.hidden}
    )
    bands = min(5, len(shown))
    bounds = [shown[len(shown) * q // bands] for q in range(1, bands)] if bands else []
    boundaries = {m.code: m.boundary for m in Municipality.objects.all()}
    shapes = []
    for cell in cells:
        if cell.area.kind != "municipality":
            continue
        band = None
        if cell.value and not cell.hidden:
            band = sum(cell.value >= b for b in bounds)
        shapes.append(
            MapArea(
                cell.area.code, cell.area.name, boundaries[cell.area.code], band=band,
                label=figure_shown(cell),
            )
        )  # fmt: skip
    legend = []
    for band in range(bands):
        low = shown[0] if band == 0 else bounds[band - 1]
        high = bounds[band] if band < len(bounds) else shown[-1]
        members = [v for v in shown if low <= v and (v < high or band == bands - 1)]
        legend.append(
            (band, f"{number_format(min(members), 0, force_grouping=True)} – "
                   f"{number_format(max(members), 0, force_grouping=True)}")
        )  # fmt: skip
    return map_svg(shapes, title=title, width=420, hatch_missing=True), legend
