"""One fact sheet per study region (OUT/regions/<INSEE code>.html and .pdf).

"La moyenne n'existe pas": each sheet gives the region's top-3 fragilities, its territory
health, its "jouer collectif" and the other figures of the wave, each beside the rest of France
and marked only where the region differs significantly from it, and the region's weight in the
national total.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from observatoire.results_contract import Indicator, formats, is_mean
from observatoire.studies.outputs.findings import Findings
from observatoire.studies.outputs.publication import Publication
from observatoire.studies.outputs.render import write_document
from observatoire.studies.outputs.report import document_context
from observatoire.studies.spec.model import Question

TOP = 3
HALF_WIDTH_ROWS = 8  # longer tables take the whole width of the page
# Half-width tables are balanced in two columns a few at a time: WeasyPrint balances columns by
# laying their content out again and again, so one long run of tables took 5 s a sheet (60 s for
# the 12 sheets of the demo); runs of 4 take under a second and read the same.
COLUMN_BLOCK = 4


def write_factsheets(publication: Publication, out: Path) -> list[Path]:
    """Write the HTML and PDF sheet of every study region into OUT/regions/."""
    findings = publication.findings
    folder = out / "regions"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for code, name in findings.regions:
        context = sheet_context(findings, code, name)
        written += write_document("factsheet.html", folder / f"{code}.html", out, context)
    return written


def sheet_context(findings: Findings, code: str, name: str) -> dict[str, Any]:
    study, wave = findings.study, findings.latest
    questions = study.published_questions(wave.id)
    weight = findings.results.weighted_base(code)
    return {
        **document_context(findings),
        "code": code,
        "name": name,
        "weight": formats.percent(weight / study.population_total) if weight else "–",
        "adults": formats.millions(weight) if weight else "–",
        "top": [_top(findings, q, code) for q in questions if q.type == "scale" and q.items],
        "confidence": formats.percent(study.confidence),
        "blocks": _blocks([_section(findings, q, code) for q in questions]),
        "footer": f"{study.title} {wave.year} — fiche {name}"
        + (" — répondants synthétiques (démonstration)" if study.synthetic else ""),
    }


def _top(findings: Findings, q: Question, code: str) -> dict[str, Any]:
    items = findings.scale_items(q, territory=code)[:TOP]
    national = {c: rank for rank, (c, _l, _m) in enumerate(findings.scale_items(q), 1)}
    return {
        "q": q,
        "items": [
            {
                "rank": i,
                "label": label,
                "value": formats.mark(mean),
                "france": findings.text(item, Indicator.MEAN),
                "france_rank": formats.ordinal(national.get(item)),
                "mark": findings.versus_rest(item, Indicator.MEAN, None, code),
            }
            for i, (item, label, mean) in enumerate(items, 1)
        ],
    }


def _section(findings: Findings, q: Question, code: str) -> dict[str, Any]:
    rows = []
    for question, indicator, category, label in findings.figures(q):
        value = findings.estimate(question, indicator, category, territory=code)
        france = findings.estimate(question, indicator, category)
        share = not is_mean(indicator)
        rows.append(
            {
                "label": label,
                "value": formats.value(value, indicator),
                "france": formats.value(france, indicator),
                "bar": round(100 * (value or 0.0) / (1.0 if share else q.scale[1] if q.scale
                                                    else 1.0)),
                "bar_fr": round(100 * (france or 0.0) / (1.0 if share else q.scale[1] if q.scale
                                                        else 1.0)),
                "mark": findings.versus_rest(question, indicator, category, code),
                "group": indicator == Indicator.GROUP and not q.items,
            }
        )  # fmt: skip
    return {"q": q, "rows": rows, "full": len(rows) > HALF_WIDTH_ROWS}


def _blocks(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive sections grouped by width: long tables across the page, the others in two
    columns that fill one another's gaps (so that the sheet fits one A4 sheet, both sides)."""
    blocks: list[dict[str, Any]] = []
    for section in sections:
        if (not blocks or blocks[-1]["full"] != section["full"]
                or len(blocks[-1]["sections"]) == COLUMN_BLOCK):  # fmt: skip
            blocks.append({"full": section["full"], "sections": []})
        blocks[-1]["sections"].append(section)
    return blocks
