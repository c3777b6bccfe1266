"""Inline SVG maps of regions and departments from the shipped GeoJSON shapes (no tile server).

Metropolitan France is drawn with a simple equirectangular projection corrected at 46.5° N;
overseas territories (zone "drom") come back without a path, to be listed as links.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from observatoire import territory

WIDTH = 600
_COS = math.cos(math.radians(46.5))
_METRO = (-5.5, 41.0, 10.0, 51.5)  # lon_min, lat_min, lon_max, lat_max


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data; empty for territories drawn apart (overseas)


def _rings(geometry: Mapping[str, Any]) -> Iterable[list[list[float]]]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _thin(points: list[tuple[float, float]], step: float = 1.0) -> list[tuple[float, float]]:
    """Drop points closer than `step` pixels to the last kept one (lighter pages, same look)."""
    kept = points[:1]
    for x, y in points[1:-1]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= step:
            kept.append((x, y))
    return kept + points[-1:] if len(points) > 1 else kept


@lru_cache(maxsize=2)
def shapes(level: str) -> tuple[tuple[Shape, ...], str]:
    """(shapes, viewBox) for level "region" or "department", sorted by name."""
    collection = territory.region_shapes() if level == "region" else territory.department_shapes()
    scale = WIDTH / ((_METRO[2] - _METRO[0]) * _COS)
    out = []
    max_y = 0.0
    for feature in collection["features"]:
        props = feature.get("properties") or {}
        code = str(feature.get("id") or props.get("code"))
        name = str(props.get("name") or props.get("nom") or code)
        rings = [r for r in _rings(feature["geometry"]) if len(r) >= 3]
        if not rings or props.get("zone") == "drom":
            out.append(Shape(code, name, ""))
            continue
        parts = []
        for ring in rings:
            points = _thin(
                [
                    ((lon - _METRO[0]) * _COS * scale, (_METRO[3] - lat) * scale)
                    for lon, lat, *_ in ring
                ]
            )
            max_y = max(max_y, *(y for _, y in points))
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        out.append(Shape(code, name, "".join(parts)))
    out.sort(key=lambda s: s.name)
    return tuple(out), f"0 0 {WIDTH} {math.ceil(max_y)}"


def shade(count: int, highest: int) -> int:
    """A class 0–4 for the choropleth: 0 for none, then four equal steps of the highest count."""
    if count <= 0 or highest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // highest)
