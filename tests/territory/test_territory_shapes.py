"""Region and department outlines: keyed by INSEE code, lon/lat, small."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from observatoire import territory
from observatoire.territory.registry import DATA


def points(coordinates: Any) -> Iterator[tuple[float, float]]:
    if isinstance(coordinates[0], float | int):
        yield coordinates[0], coordinates[1]
        return
    for part in coordinates:
        yield from points(part)


def test_region_shapes_keyed_by_insee_code() -> None:
    shapes = territory.region_shapes()
    assert shapes["type"] == "FeatureCollection"
    by_code = {f["properties"]["code"]: f for f in shapes["features"]}
    assert set(by_code) == {r.code for r in territory.regions()}
    assert all(f["id"] == code for code, f in by_code.items())
    assert by_code["11"]["properties"]["name"] == "Île-de-France"
    metro = {c for c, f in by_code.items() if f["properties"]["zone"] == "metro"}
    assert len(metro) == 13


def test_department_shapes_keyed_by_insee_code() -> None:
    shapes = territory.department_shapes()
    by_code = {f["properties"]["code"]: f for f in shapes["features"]}
    assert set(by_code) == {d.code for d in territory.departments()}
    assert by_code["2A"]["properties"] == {
        "code": "2A",
        "name": "Corse-du-Sud",
        "region": "94",
        "zone": "metro",
    }


def test_coordinates_are_lon_lat_in_the_right_place() -> None:
    shapes = {f["id"]: f["geometry"] for f in territory.department_shapes()["features"]}
    assert all(g["type"] in ("Polygon", "MultiPolygon") for g in shapes.values())
    lon, lat = zip(*points(shapes["75"]["coordinates"]), strict=True)
    assert 2.2 < min(lon) < max(lon) < 2.5 and 48.8 < min(lat) < max(lat) < 48.95
    lon, lat = zip(*points(shapes["974"]["coordinates"]), strict=True)
    assert 55 < min(lon) < 56 and -21.5 < min(lat) < -20.8  # La Réunion


def test_each_call_gives_a_fresh_collection() -> None:
    first = territory.region_shapes()
    first["features"].clear()
    assert len(territory.region_shapes()["features"]) == 18


def test_shipped_files_stay_small() -> None:
    for name in ("regions.geojson", "departments.geojson"):
        assert (DATA / name).stat().st_size < 400_000  # type: ignore[attr-defined]
