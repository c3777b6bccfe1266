"""An indicator's time series as a Vega-Lite chart, rendered to SVG offline by vl-convert.

Readable without colour: one line per breakdown code, each with its own dash pattern and its
label at its last point; a point's shape says how reliable the measurement is (circle
self-reported, square measured, triangle audited); the target is a dashed rule with its label.
Renders are cached by spec, so a page costs one render per distinct chart.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import vl_convert as vlc
from babel.numbers import format_decimal

from observatoire import vocabularies as v
from observatoire.platform.scorecards import catalogue
from observatoire.platform.scorecards.models import Indicator, Measurement

FONT = "Liberation Sans"
INK = "#1f2a44"
SHAPES = {"declaratif": "circle", "mesure": "square", "audite": "triangle-up"}
DASHES = [[1, 0], [6, 3], [2, 3], [8, 3, 2, 3], [12, 4]]


def _label(indicator: Indicator, code: str, language: str) -> str:
    if not code:
        return "Ensemble" if language == "fr" else "All"
    vocabulary = catalogue.BREAKDOWNS.get(indicator.breakdown)
    return vocabulary[code].label(language) if vocabulary and code in vocabulary else code


def spec(
    indicator: Indicator,
    measurements: list[Measurement],
    language: str = "fr",
    narrow: bool = False,
) -> dict[str, Any]:
    """The Vega-Lite spec of the indicator's measurements (and target, if any); `narrow` for a
    phone's width, so that the text keeps its size instead of being scaled down."""
    locale = "fr_FR" if language == "fr" else "en_GB"
    rows: list[dict[str, Any]] = [
        {
            "date": m.date.isoformat(),
            "value": float(m.value),
            "text": format_decimal(m.value, locale=locale),
            "series": _label(indicator, m.breakdown_code, language),
            "confidence": v.CONFIDENCE_LEVELS[m.confidence].label(language),
            "shape": SHAPES[m.confidence],
        }
        for m in sorted(measurements, key=lambda m: (m.breakdown_code, m.date))
    ]
    series = list(dict.fromkeys(r["series"] for r in rows))
    unit = v.UNITS[indicator.unit].label(language)
    x = {"field": "date", "type": "temporal", "title": None,
         "axis": {"format": "%Y" if len({r["date"][:4] for r in rows}) > 1 else "%d/%m/%Y",
                  "tickCount": 4 if narrow else 6, "grid": False}}  # fmt: skip
    y = {"field": "value", "type": "quantitative", "title": unit, "scale": {"zero": True},
         "axis": {"grid": True, "gridColor": "#e5e5e5"}}  # fmt: skip
    stroke = {"field": "series", "type": "nominal", "legend": None,
              "scale": {"domain": series, "range": DASHES[: len(series)] or [[1, 0]]}}  # fmt: skip
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": INK, "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "strokeDash": stroke, "detail": {"field": "series"}}},
        {"mark": {"type": "point", "filled": True, "size": 90, "color": INK},
         "encoding": {"x": x, "y": y, "shape": {"field": "shape", "type": "nominal", "scale": None},
                      "tooltip": [{"field": "date", "type": "temporal"},
                                  {"field": "text", "title": unit},
                                  {"field": "confidence"}, {"field": "series"}]}},
        {"mark": {"type": "text", "dy": -12, "fontSize": 12, "color": INK},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}}},
    ]  # fmt: skip
    if len(series) > 1:
        layers.append(
            {"transform": [{"window": [{"op": "rank", "as": "r"}],
                            "sort": [{"field": "date", "order": "descending"}],
                            "groupby": ["series"]}, {"filter": "datum.r == 1"}],
             "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 12, "color": INK},
             "encoding": {"x": x, "y": y, "text": {"field": "series"}}}
        )  # fmt: skip
    if indicator.target is not None and indicator.target_date is not None:
        target = float(indicator.target)
        word = "cible" if language == "fr" else "target"
        text = f"{word} {format_decimal(indicator.target, locale=locale)}"
        layers.append(
            {"data": {"values": [{"value": target, "date": indicator.target_date.isoformat(),
                                  "text": text}]},
             "layer": [
                 {"mark": {"type": "rule", "strokeDash": [4, 4], "color": INK},
                  "encoding": {"y": {"field": "value", "type": "quantitative"}}},
                 {"mark": {"type": "text", "align": "right", "dy": -6, "fontSize": 12,
                           "color": INK},
                  "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"},
                               "text": {"field": "text"}}}]}
        )  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 300 if narrow else 640,
        "height": 220 if narrow else 280,
        "padding": {"left": 10, "right": 90, "top": 20, "bottom": 10},
        "data": {"values": rows},
        "layer": layers,
        "config": {"font": FONT, "view": {"stroke": None},
                   "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK,
                            "titleColor": INK}},
    }  # fmt: skip


@lru_cache(maxsize=256)
def _render(spec_json: str, language: str) -> str:
    spec = json.loads(spec_json)
    if language == "fr":
        return vlc.vegalite_to_svg(spec, format_locale="fr-FR", time_format_locale="fr-FR")
    return vlc.vegalite_to_svg(spec, format_locale="en-GB", time_format_locale="en-GB")


def svg(
    indicator: Indicator,
    measurements: list[Measurement],
    language: str = "fr",
    narrow: bool = False,
) -> str:
    """The chart as an SVG string (empty without measurements)."""
    if not measurements:
        return ""
    language = "en" if language.startswith("en") else "fr"
    chart = spec(indicator, measurements, language, narrow)
    return _render(json.dumps(chart, sort_keys=True), language)
