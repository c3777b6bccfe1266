"""The two-page summary (A4 recto-verso): the wave's messages, the key charts and key figures,
sample and method in a line. Each side is a fixed-height box, so the PDF is always 2 pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from observatoire.results_contract import Indicator, formats
from observatoire.studies.outputs.charts import Chart
from observatoire.studies.outputs.findings import Findings
from observatoire.studies.outputs.publication import Publication
from observatoire.studies.outputs.render import write_document
from observatoire.studies.outputs.report import document_context

MESSAGES = 4
KEY_FIGURES = 4


def write_summary(publication: Publication, out: Path) -> list[Path]:
    """Write OUT/summary.html and OUT/summary.pdf."""
    context = summary_context(publication.findings, publication.charts)
    return write_document("summary.html", out / "summary.html", out, context)


def summary_context(findings: Findings, charts: list[Chart]) -> dict[str, Any]:
    study, wave = findings.study, findings.latest
    singles = [q for q in study.published_questions(wave.id) if q.type == "single" and not q.items]
    front = [c for c in charts if c.kind == "bands"][:1]
    back = [c for c in charts if singles and c.question == singles[0].code]  # shares, then map
    degrees = [c for c in charts if c.kind == "degrees"][:1]
    figures = []
    for q in singles:
        if q.groups:
            g = q.groups[0]
            regional = findings.by_region(q.code, Indicator.GROUP, g.code)
            high = max(regional, key=lambda x: x[1])
            low = min(regional, key=lambda x: x[1])
            figures.append(
                {
                    "value": findings.text(q.code, Indicator.GROUP, g.code),
                    "label": f"{q.short_label} — {g.label.lower()}",
                    "range": f"de {formats.percent(low[1])} ({low[0]}) "
                    f"à {formats.percent(high[1])} ({high[0]})",
                }
            )
    weighting = findings.run.weighting[wave.id]
    regions = len(findings.regions)
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
        **document_context(findings),
        "messages": findings.messages()[:MESSAGES],
        "front": [c.png for c in front],
        "back": [c.png for c in back],
        "degrees": [c.png for c in degrees],
        "figures": figures[:KEY_FIGURES],
        "method": method,
        "footer": f"{study.title} {wave.year} — synthèse"
        + (" — répondants synthétiques (démonstration)" if study.synthetic else ""),
    }
