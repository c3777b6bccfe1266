"""Outlines for maps: GeoJSON FeatureCollections keyed by INSEE code (lon/lat, WGS 84).

Each feature has `id` and `properties.code` set to the INSEE code, plus `name` and `zone`
("metro" or "drom"; filter on it to draw metropolitan France alone). Provenance and licence:
data/PROVENANCE.md.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from observatoire.territory.registry import DATA


@cache
def _text(name: str) -> str:
    return (DATA / f"{name}.geojson").read_text("utf-8")


def region_shapes() -> dict[str, Any]:
    """The 18 regions (13 metropolitan, 5 overseas), dissolved from the departments.

    A fresh dict each call, so callers may add properties to it."""
    data: dict[str, Any] = json.loads(_text("regions"))
    return data


def department_shapes() -> dict[str, Any]:
    """The 101 departments; `properties.region` gives each one's region code."""
    data: dict[str, Any] = json.loads(_text("departments"))
    return data
