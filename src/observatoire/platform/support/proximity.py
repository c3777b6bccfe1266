"""How far a structure is from the person asking, with the territory data the project ships.

The shipped data has no commune coordinates, only department outlines, so proximity is read in
steps: same commune, same EPT (or EPCI) within the department, same department, then the
great-circle distance between the centres of the two departments (area-weighted centroids of
their outlines), in 50 km bands.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from observatoire import territory
from observatoire.errors import InputError

BAND_KM = 50
EARTH_RADIUS_KM = 6371.0
UNKNOWN = 1_000  # a structure without a known commune ranks after every located one


@dataclass(frozen=True)
class Proximity:
    rank: int  # 0 same commune, 1 same EPT/EPCI, 2 same department, 3 + distance band
    km: float | None  # between department centres; None within a department or when unknown
    step: str  # "commune", "group", "department", "distance" or "unknown"


def _rings(geometry: Mapping[str, Any]) -> Iterable[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        yield polygon[0]  # outer ring; holes are negligible at this scale


@cache
def department_centres() -> dict[str, tuple[float, float]]:
    """(lon, lat) of each department's centre: the area-weighted centroid of its outer rings."""
    centres = {}
    for feature in territory.department_shapes()["features"]:
        area = cx = cy = 0.0
        for ring in _rings(feature["geometry"]):
            for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring):
                cross = x0 * y1 - x1 * y0
                area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
        if area:
            centres[str(feature["properties"]["code"])] = (cx / (3 * area), cy / (3 * area))
    return centres


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def proximity(structure_commune: str, commune: territory.Territory) -> Proximity:
    """How close a structure located in `structure_commune` is to `commune`."""
    if not structure_commune:
        return Proximity(UNKNOWN, None, "unknown")
    try:
        place = territory.get(structure_commune, "commune")
    except InputError:
        return Proximity(UNKNOWN, None, "unknown")
    if place.code == commune.code:
        return Proximity(0, None, "commune")
    if place.department == commune.department:
        # Within the Métropole du Grand Paris the EPT is the group that means "near".
        if place.ept and commune.ept:
            same_group = place.ept == commune.ept
        else:
            same_group = bool(place.epci and place.epci == commune.epci)
        return Proximity(1, None, "group") if same_group else Proximity(2, None, "department")
    centres = department_centres()
    a, b = centres.get(place.department or ""), centres.get(commune.department or "")
    if a is None or b is None:
        return Proximity(UNKNOWN, None, "unknown")
    km = distance_km(a, b)
    return Proximity(3 + int(km // BAND_KM), km, "distance")
