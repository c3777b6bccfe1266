"""One dot-plot per shared question: each population's share with its confidence interval, the
citizens as the reference line, the actor's view of its own kind circled. A grid question gets
one small panel per item. Specs are Vega-Lite, rendered offline like every study chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from observatoire.results_contract import formats, significant
from observatoire.results_contract.crossreading import Cell, CrossReading, Line
from observatoire.studies.outputs.charts import CONFIG, INK, Chart, render_charts
from observatoire.studies.outputs.crossreading.publication import PopulationsPublication
from observatoire.studies.outputs.findings import DOWN, UP, headline
from observatoire.studies.spec.model import Question

COLOURS = {  # one colour per actor type, the citizens in grey (the reference)
    "citoyens": "#7a7a7a",
    "collectivites": "#1f3f7a",
    "entreprises": "#c0632b",
    "associations": "#2f7d5b",
    "fondations": "#7b4f9e",
    "academiques": "#8a6d1f",
}
OTHER = "#444444"


def write_charts(publication: PopulationsPublication, out: Path) -> list[Path]:
    """Write charts/<question>-populations.{vl.json,svg,png} for every shared question."""
    return render_charts(crossreading_charts(publication), out)


def crossreading_charts(publication: PopulationsPublication) -> list[Chart]:
    study = publication.run.study
    return [
        dot_plot(publication, q, publication.reading)
        for q in study.questions
        if publication.reading.of(q.code)
    ]


def chart_lines(reading: CrossReading, q: Question) -> list[Line]:
    """The lines a question's chart and headline tables show: its headline figure, per item."""
    indicator, category, _ = headline(q)
    return [line for line in reading.of(q.code, indicator) if line.category == category]


def marker(cell: Cell) -> str:
    """ " ▲" / " ▼" where a population differs significantly from the reference, "*" for a
    small base (read with care)."""
    arrow = ""
    if significant(cell.versus_reference):
        assert cell.versus_reference is not None
        arrow = f" {UP}" if cell.versus_reference["estimate"] > 0 else f" {DOWN}"
    return arrow + ("*" if cell.small_base else "")


def dot_plot(publication: PopulationsPublication, q: Question, reading: CrossReading) -> Chart:
    study = publication.run.study
    lines = chart_lines(reading, q)
    _, _, group_label = headline(q)
    codes = [p.code for p in reading.populations]
    labels = [reading.label(c) for c in codes]
    rows = []
    for line in lines:
        item = line.question_label.split(" : ", 1)[-1] if q.items else q.short_label
        reference = line.cell(reading.reference) if reading.reference else None
        for cell in line.cells:
            row = cell.row
            if row is None or row["estimate"] is None:
                continue
            rows.append(
                {
                    "item": item,
                    "population": reading.label(cell.population),
                    "code": cell.population,
                    "estimate": row["estimate"],
                    "low": row["ci_low"],
                    "high": row["ci_high"],
                    "label": formats.percent(row["estimate"]) + marker(cell),
                    "own": cell.own,
                    "reference": reference.row["estimate"]
                    if reference is not None and reference.row is not None
                    else None,
                }
            )
    y = {"field": "population", "type": "nominal", "sort": labels, "title": None,
         "axis": {"labelFontSize": 12 if q.items else 13, "labelPadding": 6}}  # fmt: skip
    x = {"type": "quantitative", "scale": {"domain": [0, 1]}, "title": None,
         "axis": {"format": ".0%", "grid": True, "gridColor": "#e6e6e6",
                  "values": [0, 0.25, 0.5, 0.75, 1]}}  # fmt: skip
    palette = [COLOURS.get(c, OTHER) for c in codes]
    colour = {"field": "code", "type": "nominal", "legend": None,
              "scale": {"domain": codes, "range": palette}}  # fmt: skip
    layers: list[dict[str, Any]] = [
        {"transform": [{"filter": "datum.reference != null"}],
         "mark": {"type": "rule", "strokeDash": [4, 3], "color": COLOURS["citoyens"]},
         "encoding": {"x": {**x, "field": "reference", "aggregate": "min"}}},
        {"mark": {"type": "rule", "strokeWidth": 2.5 if not q.items else 2},
         "encoding": {"y": y, "x": {**x, "field": "low"}, "x2": {"field": "high"},
                      "color": colour}},
        {"mark": {"type": "point", "filled": True, "opacity": 1, "size": 45 if q.items else 110},
         "encoding": {"y": y, "x": {**x, "field": "estimate"}, "color": colour}},
        {"transform": [{"filter": "datum.own"}],
         "mark": {"type": "point", "filled": False, "size": 190, "strokeWidth": 1.5, "color": INK},
         "encoding": {"y": y, "x": {**x, "field": "estimate"}}},
        {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10 if q.items else 12,
                  "fontWeight": "normal" if q.items else "bold"},
         "encoding": {"y": y, "x": {**x, "field": "high"}, "text": {"field": "label"},
                      "color": colour}},
    ]  # fmt: skip
    own = any(r["own"] for r in rows)
    subtitle = (
        f"{group_label} : part des répondants et intervalle de confiance à "
        f"{formats.percent(study.confidence)} ; pointillé : les citoyens"
        + (" ; cerclé : l'acteur sur sa propre performance" if own else "")
    )
    notes = f"{UP} / {DOWN} : différence significative avec les citoyens ; * : base faible."
    synthetic = " Répondants synthétiques (démonstration)." if study.synthetic else ""
    title = {
        "text": f"{q.short_label} : regards croisés",
        "subtitle": [
            subtitle,
            notes + f" Source : étude {study.title} {study.wave.id}.{synthetic}",
        ],
    }
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": {**CONFIG, "header": {"labelFontSize": 12, "labelColor": INK,
                                        "labelFontWeight": "bold", "labelAnchor": "start"}},
        "background": "white",
        "padding": 12,
        "title": title,
        "data": {"values": rows},
    }  # fmt: skip
    if q.items:
        items = [line.question_label.split(" : ", 1)[-1] for line in lines]
        spec |= {
            "facet": {"field": "item", "type": "nominal", "sort": items, "title": None,
                      "header": {"title": None}},
            "columns": 2,
            "spacing": {"row": 14, "column": 30},
            "spec": {"width": 300, "height": {"step": 22}, "layer": layers},
        }  # fmt: skip
    else:
        spec |= {"width": 600, "height": {"step": 44}, "layer": layers}
    return Chart(q.code, "populations", f"{q.short_label} : regards croisés", spec)
