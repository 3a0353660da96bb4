"""Plain geometry on the reference boundaries (GeoJSON, WGS 84): which area holds a point,
where an area's centre is, and how far apart two points are. Small enough for 31 areas, so
no GIS library is needed."""

from __future__ import annotations

import itertools
import math


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _in_ring(ring: list[list[float]], x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict, longitude: float, latitude: float) -> bool:
    """True when the point lies inside the area (outside its holes)."""
    return any(
        polygon
        and _in_ring(polygon[0], longitude, latitude)
        and not any(_in_ring(hole, longitude, latitude) for hole in polygon[1:])
        for polygon in _polygons(geometry)
    )


def centre(geometry: dict) -> tuple[float, float] | None:
    """The centre (longitude, latitude) of the area's outer rings, weighted by their size;
    a ring's direction (clockwise or not) does not matter."""
    total = cx = cy = 0.0
    for polygon in _polygons(geometry):
        ring = polygon[0] if polygon else []
        area = ring_x = ring_y = 0.0
        for a, b in itertools.pairwise(ring):
            cross = a[0] * b[1] - b[0] * a[1]
            area += cross
            ring_x += (a[0] + b[0]) * cross
            ring_y += (a[1] + b[1]) * cross
        if area:
            weight = abs(area) / 2
            total += weight
            cx += ring_x / (3 * area) * weight
            cy += ring_y / (3 * area) * weight
    if not total:
        return None
    return cx / total, cy / total


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (longitude, latitude) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
