"""Charts as Vega-Lite specs (the same spec renders on the web later), plus SVG and PNG renders.

Rendered offline by vl-convert with the French number locale; every label drawn on a chart is
pre-formatted with Babel so that it reads "5,7" and "74 %". Each chart's footer names the
study, the wave and, for the demo, that the respondents are synthetic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import vl_convert as vlc

from observatoire import territory
from observatoire.chartstyle import (
    BAND_COLOURS,
    CONFIG,
    DEGREE_COLOURS,
    HEALTH_COLOURS,
    INK,
    centre,
)
from observatoire.results_contract import NATIONAL, Indicator, formats
from observatoire.studies.outputs.findings import headline
from observatoire.studies.spec.model import Question, Study
from observatoire.vocabularies import TERRITORY_HEALTH

if TYPE_CHECKING:  # the publication is built from the charts
    from observatoire.studies.outputs.publication import Publication


@dataclass(frozen=True)
class Chart:
    question: str  # the question code the chart shows
    kind: str  # bands, degrees, shares or map
    title: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        """The file name, without extension: "q3-bands"."""
        return f"{self.question.lower()}-{self.kind}"

    @property
    def png(self) -> str:
        """The PNG's path in the output folder, as documents link it."""
        return f"charts/{self.name}.png"


def study_charts(study: Study, results: pl.DataFrame) -> list[Chart]:
    """Every chart of the latest wave: bands and degrees for grids, shares and maps otherwise."""
    charts = []
    wave = study.latest
    national = results.filter(
        (pl.col("wave") == wave.id)
        & (pl.col("territory") == NATIONAL)
        & pl.col("profile").is_null()
    )
    for q in study.published_questions(wave.id):
        if q.type == "scale" and q.bands and q.items:
            charts.append(bands_chart(study, q, results))
        elif q.type == "single" and q.items:
            charts.append(degrees_chart(study, q, national))
        elif q.type == "single":
            charts.append(shares_chart(study, q, national))
            charts.append(map_chart(study, q, results))
    return charts


def write_charts(publication: Publication, out: Path) -> list[Path]:
    """Write charts/NAME.vl.json, NAME.svg and NAME.png for every chart."""
    return render_charts(publication.charts, out)


def render_charts(charts: list[Chart], out: Path) -> list[Path]:
    """Write charts/NAME.vl.json, NAME.svg and NAME.png for each of these charts."""
    folder = out / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        spec_path = folder / f"{chart.name}.vl.json"
        spec_path.write_text(json.dumps(chart.spec, ensure_ascii=False, indent=1), "utf-8")
        svg = vlc.vegalite_to_svg(chart.spec, format_locale="fr-FR")
        (folder / f"{chart.name}.svg").write_text(svg, "utf-8")
        png = vlc.svg_to_png(svg, scale=2)  # same pixels as from the spec, without recompiling
        (folder / f"{chart.name}.png").write_bytes(png)
        written += [spec_path, folder / f"{chart.name}.svg", folder / f"{chart.name}.png"]
    return written


def _footer(study: Study, wave: str) -> str:
    base = f"Source : étude {study.title} {wave}."
    return f"{base} Répondants synthétiques (démonstration)." if study.synthetic else base


def _frame(spec: dict[str, Any], study: Study, title: str, subtitle: str) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": [subtitle, _footer(study, study.latest.id)]},
        "config": CONFIG,
        "background": "white",
        "padding": 12,
        **spec,
    }


def bands_chart(study: Study, q: Question, results: pl.DataFrame) -> Chart:
    """Items as stacked bars of the mark bands, with the mean and the previous wave's mean."""
    latest = study.latest
    previous = study.previous(latest)
    national = results.filter(
        (pl.col("territory") == NATIONAL)
        & pl.col("profile").is_null()
        & pl.col("question").str.starts_with(f"{q.code}.")
    )
    now = national.filter(pl.col("wave") == latest.id)
    means = dict(
        now.filter(pl.col("indicator") == Indicator.MEAN).select("question", "estimate").iter_rows()
    )
    before: dict[str, float] = {}
    if previous is not None:
        before = dict(
            national.filter(
                (pl.col("wave") == previous.id) & (pl.col("indicator") == Indicator.MEAN)
            )
            .select("question", "estimate")
            .iter_rows()
        )
    labels = {f"{q.code}.{t.code}": t.label for t in q.items}
    order = sorted(means, key=lambda k: -means[k])
    band_order = {b.code: i for i, b in enumerate(q.bands)}
    bars = [
        {
            "item": labels[row["question"]],
            "band": row["category_label"],
            "order": band_order[row["category"]],
            "share": row["estimate"],
            "label": formats.percent(row["estimate"]) if row["estimate"] >= 0.07 else "",
        }
        for row in now.filter(pl.col("indicator") == Indicator.BAND).iter_rows(named=True)
    ]
    table = [
        {"item": labels[k], "column": f"Moyenne /10 {latest.year}", "text": formats.mark(means[k])}
        for k in order
    ]
    if previous is not None:
        table += [
            {"item": labels[k], "column": f"{previous.year}", "text": formats.mark(before.get(k))}
            for k in order
        ]
    y = {"field": "item", "type": "nominal", "sort": [labels[k] for k in order], "title": None}
    spec = {
        "hconcat": [
            {
                "width": 330,
                "height": {"step": 22},
                "data": {"values": bars},
                "layer": _stacked_layers(
                    {**y, "axis": {"labelLimit": 260, "labelPadding": 6}},
                    y,
                    {"field": "band", "type": "nominal", "sort": [b.label for b in q.bands],
                     "scale": {"range": BAND_COLOURS},
                     "legend": {"title": None, "orient": "top", "direction": "horizontal"}},
                    white_when=f"datum.order == {len(q.bands) - 1}",
                ),
            },
            _text_columns(y, table, 75 * len({row["column"] for row in table})),
        ],
        "spacing": 6,
    }  # fmt: skip
    subtitle = f"Base : ensemble ({formats.millions(study.population_total)} de personnes)"
    return Chart(q.code, "bands", q.short_label, _frame(spec, study, q.short_label, subtitle))


def _stacked_layers(
    bar_y: dict[str, Any], y: dict[str, Any], colour: dict[str, Any], *, white_when: str
) -> list[dict[str, Any]]:
    """Horizontal bars stacked to 100 % with their labels inside, white on the dark segments."""
    return [
        {
            "mark": {"type": "bar", "height": {"band": 0.78}},
            "encoding": {
                "y": bar_y,
                "x": {"field": "share", "type": "quantitative", "stack": "normalize",
                      "axis": None},
                "color": colour,
                "order": {"field": "order"},
            },
        },
        {
            "mark": {"type": "text", "dx": -4, "align": "right", "fontSize": 11},
            "encoding": {
                "y": y,
                "x": {"field": "share", "type": "quantitative", "stack": "normalize"},
                "text": {"field": "label"},
                "order": {"field": "order"},
                "color": {"condition": {"test": white_when, "value": "white"}, "value": INK},
            },
        },
    ]  # fmt: skip


def _text_columns(y: dict[str, Any], rows: list[dict[str, str]], width: int) -> dict[str, Any]:
    """A view of figures printed beside bars: one text column per `column`, first one in ink."""
    first = rows[0]["column"] if rows else ""
    return {
        "width": width,
        "height": {"step": 22},
        "data": {"values": rows},
        "mark": {"type": "text", "fontSize": 12},
        "encoding": {
            "y": {**y, "axis": None},
            "x": {"field": "column", "type": "nominal", "title": None, "sort": None,
                  "axis": {"orient": "top", "labelAngle": 0, "labelFontWeight": "bold",
                           "labelLimit": 160}},
            "text": {"field": "text"},
            "color": {"condition": {"test": f"datum.column != '{first}'", "value": "#777777"},
                      "value": INK},
        },
    }  # fmt: skip


def degrees_chart(study: Study, q: Question, national: pl.DataFrame) -> Chart:
    """Items of a graded grid as stacked bars of the answer codes (e.g. impacts by degree)."""
    rows = national.filter(
        pl.col("question").str.starts_with(f"{q.code}.") & (pl.col("indicator") == Indicator.SHARE)
    )
    strong = q.groups[0] if q.groups else None
    labels = {f"{q.code}.{t.code}": t.label for t in q.items}
    code_order = {t.code: i for i, t in enumerate(q.codes)}
    top = {
        r["question"]: r["estimate"]
        for r in national.filter(
            (pl.col("indicator") == Indicator.GROUP)
            & (pl.col("category") == (strong.code if strong else ""))
        ).iter_rows(named=True)
    }
    order = sorted(labels, key=lambda k: -top.get(k, 0.0))
    values = [
        {
            "item": labels[r["question"]],
            "degree": r["category_label"],
            "order": code_order[r["category"]],
            "share": r["estimate"],
            "label": formats.percent(r["estimate"]) if r["estimate"] >= 0.06 else "",
        }
        for r in rows.iter_rows(named=True)
    ]
    y = {"field": "item", "type": "nominal", "sort": [labels[k] for k in order], "title": None,
         "axis": {"labelLimit": 320, "labelPadding": 6}}  # fmt: skip
    groups = [
        {"item": labels[r["question"]], "column": r["category_label"],
         "text": formats.percent(r["estimate"])}
        for g in q.groups
        for r in national.filter(
            pl.col("question").str.starts_with(f"{q.code}.")
            & (pl.col("indicator") == Indicator.GROUP) & (pl.col("category") == g.code)
        ).iter_rows(named=True)
    ]  # fmt: skip
    bars = {
        "width": 340,
        "height": {"step": 22},
        "data": {"values": values},
        "layer": _stacked_layers(
            y,
            y,
            {"field": "degree", "type": "nominal", "sort": [t.label for t in q.codes],
             "scale": {"range": DEGREE_COLOURS}, "title": None},
            white_when="datum.order <= 1",
        ),
    }  # fmt: skip
    spec: dict[str, Any] = (
        {"hconcat": [bars, _text_columns(y, groups, 125 * len(q.groups))], "spacing": 6}
        if groups else bars
    )  # fmt: skip
    subtitle = (f"Classés selon la part « {strong.label.lower()} »" if strong
                else "Part des réponses")  # fmt: skip
    return Chart(q.code, "degrees", q.short_label, _frame(spec, study, q.short_label, subtitle))


def shares_chart(study: Study, q: Question, national: pl.DataFrame) -> Chart:
    """Shares of each answer of a single-choice question, as labelled horizontal bars."""
    rows = national.filter(
        (pl.col("question") == q.code) & (pl.col("indicator") == Indicator.SHARE)
    )
    values = [
        {"answer": r["category_label"], "share": r["estimate"],
         "label": formats.percent(r["estimate"])}
        for r in rows.iter_rows(named=True)
    ]  # fmt: skip
    answers = [t.label for t in q.codes]
    health = [t.code for t in q.codes] == list(TERRITORY_HEALTH.codes)
    colours = HEALTH_COLOURS if health else None
    colour: dict[str, Any] = (
        {"field": "answer", "type": "nominal", "sort": answers, "legend": None,
         "scale": {"domain": answers, "range": colours}}
        if colours else {"value": "#1f3f7a"}
    )  # fmt: skip
    spec = {
        "width": 360,
        "height": {"step": 28},
        "data": {"values": values},
        "encoding": {
            "y": {"field": "answer", "type": "nominal", "sort": answers, "title": None,
                  "axis": {"labelLimit": 300, "labelPadding": 6}},
            "x": {"field": "share", "type": "quantitative", "axis": None,
                  "scale": {"domain": [0, 1]}},
        },
        "layer": [
            {"mark": {"type": "bar", "height": {"band": 0.7}}, "encoding": {"color": colour}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontWeight": "bold"},
             "encoding": {"text": {"field": "label"}}},
        ],
    }  # fmt: skip
    return Chart(q.code, "shares", q.short_label, _frame(spec, study, q.short_label, q.label))


def map_chart(study: Study, q: Question, results: pl.DataFrame) -> Chart:
    """A share by study region on the map of the 13 metropolitan regions (Corse with PACA)."""
    indicator, category, label = headline(q)
    rows = results.filter(
        (pl.col("wave") == study.latest.id)
        & (pl.col("question") == q.code)
        & (pl.col("indicator") == indicator)
        & (pl.col("category") == category)
        & pl.col("profile").is_null()
    )
    by_region = dict(rows.select("territory", "estimate").iter_rows())
    shapes = territory.region_shapes()
    features = [f for f in shapes["features"] if f["properties"]["zone"] == "metro"]
    labels = []
    shares = [v for k, v in by_region.items() if k != NATIONAL and v is not None]
    dark = (min(shares) + max(shares)) / 2 if shares else 0.0
    for feature in features:
        code = territory.study_region_of(feature["properties"]["code"])
        share = by_region.get(code)
        feature["properties"]["share"] = share
        if code != feature["properties"]["code"]:
            continue  # a region merged into a study region (Corse): one label, on the main one
        lon, lat = centre(feature["geometry"])
        ink = "white" if share is not None and share > dark else INK
        labels.append({"lon": lon, "lat": lat, "label": formats.percent(share), "ink": ink})
    national = by_region.get(NATIONAL)
    spec = {
        "width": 420,
        "height": 420,
        "projection": {"type": "conicConformal", "parallels": [44, 49], "rotate": [-3, 0]},
        "layer": [
            {
                "data": {"values": features},
                "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 1.2},
                "encoding": {
                    "color": {"field": "properties.share", "type": "quantitative",
                              "title": label, "scale": {"scheme": "blues"},
                              "legend": {"format": ".0%", "orient": "bottom",
                                         "direction": "horizontal", "gradientLength": 220}},
                },
            },
            {
                "data": {"values": labels},
                "mark": {"type": "text", "fontWeight": "bold", "fontSize": 12},
                "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                             "latitude": {"field": "lat", "type": "quantitative"},
                             "text": {"field": "label"},
                             "color": {"condition": {"test": "datum.ink == 'white'",
                                                     "value": "white"}, "value": INK}},
            },
        ],
    }  # fmt: skip
    subtitle = f"{label}, par région (France : {formats.percent(national)})"
    title = f"{q.short_label} par région"
    return Chart(q.code, "map", title, _frame(spec, study, title, subtitle))
