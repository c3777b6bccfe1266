"""How the observatory's charts look, wherever they are drawn (study documents, web pages):
the font, the ink, the palettes and the Vega-Lite configuration, and where a region's label
sits on a map. No heavy dependency: the web platform imports it without the study pipeline."""

from __future__ import annotations

from typing import Any

import numpy as np

FONT = "Liberation Sans"
INK = "#1f2a44"
BAND_COLOURS = ["#c9d7ea", "#6f93c6", "#1f3f7a"]  # light to dark: low marks to high fragility
DEGREE_COLOURS = ["#1f3f7a", "#4a6fa8", "#8eaad2", "#d5dfee", "#eeeeee"]
HEALTH_COLOURS = ["#2f7d5b", "#e0a53a", "#b23a3a"]  # territory health: dynamique → sinistré
CONFIG: dict[str, Any] = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK,
             "domain": False, "ticks": False, "grid": False},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 300},
    "title": {"fontSize": 16, "anchor": "start", "color": INK, "subtitleFontSize": 12,
              "subtitleColor": "#555555"},
    "text": {"fontSize": 12, "color": INK},
}  # fmt: skip


def centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """Area centroid of the largest ring (shoelace formula): where a region's label sits."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [
        geometry["coordinates"]]  # fmt: skip
    ring = np.asarray(max((p[0] for p in polygons), key=len), dtype=np.float64)
    x, y = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    return float(((x + x1) * cross).sum() / (6 * area)), float(
        ((y + y1) * cross).sum() / (6 * area)
    )
