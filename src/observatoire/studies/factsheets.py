"""One fact sheet per study region (OUT/regions/<INSEE code>.html and .pdf).

"La moyenne n'existe pas": each sheet gives the region's top-3 fragilities, its territory
health, its "jouer collectif" and the other figures of the wave, each beside the rest of France
and marked only where the region differs significantly from it, and the region's weight in the
national total.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from observatoire.studies import formats
from observatoire.studies.model import Question
from observatoire.studies.render import render_html, write_pdf
from observatoire.studies.report import document_context
from observatoire.studies.views import ResultsView

TOP = 3


def write_factsheets(view: ResultsView, out: Path) -> list[Path]:
    """Write the HTML and PDF sheet of every study region into OUT/regions/."""
    folder = out / "regions"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for code, name in view.regions:
        html_path, pdf_path = folder / f"{code}.html", folder / f"{code}.pdf"
        html = render_html("factsheet.html", html_path, **sheet_context(view, code, name))
        write_pdf(html, pdf_path, out)
        written += [html_path, pdf_path]
    return written


def sheet_context(view: ResultsView, code: str, name: str) -> dict[str, Any]:
    study, wave = view.study, view.latest
    questions = study.published_questions(wave.id)
    weight = _weight(view, code)
    return {
        **document_context(view),
        "code": code,
        "name": name,
        "weight": formats.percent(weight / study.population_total) if weight else "–",
        "adults": formats.millions(weight) if weight else "–",
        "top": [_top(view, q, code) for q in questions if q.type == "scale" and q.items],
        "confidence": formats.percent(study.confidence),
        "sections": [_section(view, q, code) for q in questions],
        "footer": f"{study.title} {wave.year} — fiche {name}"
        + (" — répondants synthétiques (démonstration)" if study.synthetic else ""),
    }


def _weight(view: ResultsView, code: str) -> float | None:
    """The region's weighted base: its adult population, as the weighting reproduces it."""
    rows = view.run.results.filter(
        (view.run.results["territory"] == code) & (view.run.results["wave"] == view.latest.id)
    )
    values = rows["weighted_n"].drop_nulls()
    return float(values.max()) if len(values) else None  # type: ignore[arg-type]


def _top(view: ResultsView, q: Question, code: str) -> dict[str, Any]:
    items = view.scale_items(q, territory=code)[:TOP]
    national = {c: rank for rank, (c, _l, _m) in enumerate(view.scale_items(q), 1)}
    return {
        "q": q,
        "items": [
            {
                "rank": i,
                "label": label,
                "value": formats.mark(mean),
                "france": view.text(item, "mean"),
                "france_rank": formats.ordinal(national.get(item)),
                "mark": view.versus_rest(item, "mean", None, code),
            }
            for i, (item, label, mean) in enumerate(items, 1)
        ],
    }


def _section(view: ResultsView, q: Question, code: str) -> dict[str, Any]:
    rows = []
    for question, indicator, category, label in view.figures(q):
        value = view.estimate(question, indicator, category, territory=code)
        france = view.estimate(question, indicator, category)
        share = indicator != "mean"
        rows.append(
            {
                "label": label,
                "value": formats.value(value, indicator),
                "france": formats.value(france, indicator),
                "bar": round(100 * (value or 0.0) / (1.0 if share else q.scale[1] if q.scale
                                                    else 1.0)),
                "bar_fr": round(100 * (france or 0.0) / (1.0 if share else q.scale[1] if q.scale
                                                        else 1.0)),
                "mark": view.versus_rest(question, indicator, category, code),
                "group": indicator == "group" and not q.items,
            }
        )  # fmt: skip
    return {"q": q, "rows": rows, "unit": "moyenne /10" if q.type == "scale" else "%"}
