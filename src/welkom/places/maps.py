"""Maps of Limburg as inline SVG, drawn on the server from the reference boundaries.

No JavaScript and no tiles: a page that shows a map works offline, prints, and keeps a
table with the same numbers next to it for screen readers. Coordinates are WGS 84; they are
projected equirectangularly with the longitude scaled by the cosine of the mean latitude,
which at Limburg's size (about 100 km) is as good as any projection for a sketch map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon
    highlighted: bool = False
    label: str = ""  # shown in the area's title (tooltip) and after its name
    band: int | None = None  # a choropleth's class, 0 (lowest) to 4; None: no value shown


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return geometry["coordinates"]
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


_HATCH = (
    '<defs><pattern id="welkom-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b7680" stroke-width="1.5"/></pattern></defs>'
)


def map_svg(
    areas: Iterable[Area],
    *,
    title: str,
    width: int = 480,
    zoom: bool = False,
    hatch_missing: bool = False,
) -> SafeString:
    """The areas as one SVG; highlighted areas filled, the others as context. With `zoom`,
    the view frames the highlighted areas (with a margin) and cuts the rest off. With
    `hatch_missing` (a choropleth), areas without a band are hatched, so that "no figure"
    never looks like the lowest band."""
    areas = [a for a in areas if _rings(a.geometry)]
    framed = [a for a in areas if a.highlighted] if zoom else areas
    points = [p for a in framed or areas for ring in _rings(a.geometry) for p in ring]
    if not points:
        return mark_safe("")
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    if zoom:
        margin_x, margin_y = (max_x - min_x) * 0.25, (max_y - min_y) * 0.25
        min_x, max_x, min_y, max_y = (
            min_x - margin_x,
            max_x + margin_x,
            min_y - margin_y,
            max_y + margin_y,
        )
    scale_x = math.cos(math.radians((min_y + max_y) / 2))
    span_x, span_y = (max_x - min_x) * scale_x, max_y - min_y
    height = round(width * span_y / span_x) if span_x else width
    factor = width / span_x if span_x else 1

    def project(point) -> str:
        x = (point[0] - min_x) * scale_x * factor
        y = (max_y - point[1]) * factor
        return f"{x:.1f},{y:.1f}"

    shapes = []
    for area in sorted(areas, key=lambda a: a.highlighted):  # highlighted drawn on top
        path = " ".join(
            "M" + " L".join(project(p) for p in ring) + " Z" for ring in _rings(area.geometry)
        )
        css = "welkom-map__area"
        if area.highlighted:
            css += " welkom-map__area--highlighted"
        if area.band is not None:
            css += f" welkom-map__area--band-{area.band}"
        name = escape(area.name + (f": {area.label}" if area.label else ""))
        if hatch_missing and area.band is None:
            css += " welkom-map__area--missing"
        shapes.append(f'<path class="{css}" d="{path}"><title>{name}</title></path>')
    return mark_safe(
        f'<svg class="welkom-map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{_HATCH if hatch_missing else ''}{''.join(shapes)}</svg>"
    )
