"""The two-page summary (A4 recto-verso): the wave's messages, the key charts and key figures,
sample and method in a line. Each side is a fixed-height box, so the PDF is always 2 pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from observatoire.studies import formats
from observatoire.studies.charts import Chart
from observatoire.studies.render import render_html, write_pdf
from observatoire.studies.report import document_context
from observatoire.studies.views import ResultsView

MESSAGES = 4
KEY_FIGURES = 4


def write_summary(view: ResultsView, out: Path, charts: list[Chart]) -> list[Path]:
    """Write OUT/summary.html and OUT/summary.pdf."""
    html_path, pdf_path = out / "summary.html", out / "summary.pdf"
    html = render_html("summary.html", html_path, **summary_context(view, charts))
    write_pdf(html, pdf_path, out)
    return [html_path, pdf_path]


def summary_context(view: ResultsView, charts: list[Chart]) -> dict[str, Any]:
    study, wave = view.study, view.latest
    names = [c.name for c in charts]
    front = [n for n in names if n.endswith("-bands")][:1]
    singles = [q for q in study.published_questions(wave.id) if q.type == "single" and not q.items]
    back = (
        [f"{singles[0].code.lower()}-shares", f"{singles[0].code.lower()}-map"] if singles else []
    )
    degrees = [n for n in names if n.endswith("-degrees")][:1]
    figures = []
    for q in singles:
        if q.groups:
            g = q.groups[0]
            regional = view.by_region(q.code, "group", g.code)
            high = max(regional, key=lambda x: x[1])
            low = min(regional, key=lambda x: x[1])
            figures.append(
                {
                    "value": view.text(q.code, "group", g.code),
                    "label": f"{q.short_label} — {g.label.lower()}",
                    "range": f"de {formats.percent(low[1])} ({low[0]}) "
                    f"à {formats.percent(high[1])} ({high[0]})",
                }
            )
    weighting = view.run.weighting[wave.id]
    regions = len(view.regions)
    method = (
        f"Méthode : {formats.count(weighting.n)} répondants ({regions} régions × "
        f"{formats.count(study.per_stratum or weighting.n // regions)}) — {study.universe} — "
        f"redressés par calage sur marges (région, sexe, âge, CSP, taille de commune) vers "
        f"{formats.millions(study.population_total)} d'adultes ; effet de plan "
        f"{formats.mark(weighting.kish_deff, 2)}, marge d'erreur ± "
        f"{formats.mark(196 * (0.25 * weighting.kish_deff / weighting.n) ** 0.5)} pts sur "
        f"l'ensemble pour un résultat de 50 %."
    )
    return {
        **document_context(view),
        "messages": view.messages()[:MESSAGES],
        "front": [f"charts/{n}.png" for n in front],
        "back": [f"charts/{n}.png" for n in back],
        "degrees": [f"charts/{n}.png" for n in degrees],
        "figures": figures[:KEY_FIGURES],
        "method": method,
        "footer": f"{study.title} {wave.year} — synthèse"
        + (" — répondants synthétiques (démonstration)" if study.synthetic else ""),
    }
