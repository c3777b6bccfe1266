"""The full report: every question nationally, by region and by profile, wave comparisons and
a methodology chapter; written as HTML (OUT/report.html) and printed to PDF (OUT/report.pdf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scipy.stats import t as student

from observatoire.results_contract import Indicator, Row, change, formats, is_mean
from observatoire.studies.outputs.charts import Chart
from observatoire.studies.outputs.findings import DOWN, UP, Findings
from observatoire.studies.outputs.publication import Publication
from observatoire.studies.outputs.render import write_document
from observatoire.studies.spec.model import Question

BASES = (100, 200, 500, 1000, 2400)
SHARES = (0.1, 0.3, 0.5)


def write_report(publication: Publication, out: Path) -> list[Path]:
    """Write OUT/report.html and OUT/report.pdf."""
    context = report_context(publication.findings, publication.charts)
    return write_document("report.html", out / "report.html", out, context)


def document_context(findings: Findings) -> dict[str, Any]:
    """What every document shows: the study, the wave, the data it comes from."""
    study, wave = findings.study, findings.latest
    fieldwork = f", terrain du {wave.fieldwork[0]} au {wave.fieldwork[1]}" if wave.fieldwork else ""
    return {
        "study": study,
        "wave": wave,
        "previous": findings.previous,
        "source": f"{study.title} {wave.year} — {study.producer} — données : {wave.file}"
        f" ({formats.count(wave.sample_size)} répondants{fieldwork})",
        "synthetic": study.synthetic_notice if study.synthetic else "",
        "messages": findings.messages(),
        "regions": findings.regions,
        "footer": f"{study.title} {wave.year}"
        + (" — répondants synthétiques (démonstration)" if study.synthetic else ""),
    }


def report_context(findings: Findings, charts: list[Chart]) -> dict[str, Any]:
    study = findings.study
    questions = study.published_questions(findings.latest.id)
    return {
        **document_context(findings),
        "questions": [
            _question(findings, q, [c.png for c in charts if c.question == q.code])
            for q in questions
        ],
        "method": _method(findings),
    }


def _question(findings: Findings, q: Question, charts: list[str]) -> dict[str, Any]:
    figures = findings.figures(q)
    prev = findings.previous.id if findings.previous and q.asked_in(findings.previous.id) else None
    national = []
    for code, indicator, category, label in figures:
        row = findings.get(code, indicator, category) or {}
        national.append(
            {
                "label": label,
                "value": formats.value(row.get("estimate"), indicator),
                "ci": _ci(row, indicator),
                "n": formats.count(row.get("n")),
                "previous": findings.text(code, indicator, category, wave=prev) if prev else "",
                "change": findings.change(code, indicator, category) if prev else "",
                "bands": [findings.text(code, Indicator.BAND, b.code) for b in q.bands],
                "rank": _rank(findings, code, prev) if q.type == "scale" else "",
            }
        )
    regions = [
        {
            "label": label,
            "cells": [findings.text(code, indicator, category)]
            + [
                _with_mark(findings, code, indicator, category, territory)
                for territory, _name in findings.regions
            ],
        }
        for code, indicator, category, label in figures
    ]
    changes = (
        [
            {
                "label": label,
                "cells": [findings.change(code, indicator, category)]
                + [findings.change(code, indicator, category, territory=territory)
                   for territory, _name in findings.regions],
            }
            for code, indicator, category, label in figures
        ]
        if prev
        else []
    )  # fmt: skip
    profiles = []
    banner = [findings.study.profile_question(p) for p in findings.study.banner]
    for code, indicator, category, label in figures:
        cells = [
            findings.text(code, indicator, category, profile=p.column, profile_level=t.code)
            for p in banner
            for t in p.codes
        ]
        profiles.append({"label": label, "cells": cells})
    return {
        "q": q,
        "charts": charts,
        "previous": findings.previous if prev else None,
        "national": national,
        "bands": [b.label for b in q.bands],
        "regions": regions,
        "changes": changes,
        "profiles": profiles,
        "banner": [{"label": p.label, "levels": [t.label for t in p.codes]} for p in banner],
        "unit": "moyenne /10" if q.type == "scale" else "% des répondants",
    }


def _ci(row: Row, indicator: str) -> str:
    if row.get("ci_low") is None:
        return ""
    if is_mean(indicator):
        return f"{formats.mark(row['ci_low'], 2)} – {formats.mark(row['ci_high'], 2)}"
    return f"{formats.percent(max(row['ci_low'], 0.0))} – {formats.percent(min(row['ci_high'], 1))}"


def _rank(findings: Findings, code: str, previous: str | None) -> str:
    rank = findings.estimate(code, Indicator.RANK)
    if rank is None:
        return ""
    text = formats.ordinal(rank)
    climbed = findings.estimate(code, change(Indicator.RANK)) if previous else None
    if climbed:
        text += f" ({'+' if climbed > 0 else '−'}{abs(int(climbed))})"
    return text


def _with_mark(findings: Findings, code: str, indicator: str, category: str | None,
               territory: str) -> str:  # fmt: skip
    text = findings.text(code, indicator, category, territory=territory)
    mark = findings.versus_rest(code, indicator, category, territory)
    return f"{text} {mark[0]}" if mark else text


def _margin_order(findings: Findings) -> Any:
    """Sort key putting achieved margins in study.yaml's order of margins and codes."""
    order = {
        (m.variable, code): (i, j)
        for i, m in enumerate(findings.study.margins)
        for j, code in enumerate(m.targets)
    }
    return lambda row: order.get((row["variable"], row["category"]), (len(order), 0))


def _method(findings: Findings) -> dict[str, Any]:
    study = findings.study
    latest = findings.run.weighting[findings.latest.id]
    quantile = float(student.ppf(0.5 + study.confidence / 2, latest.df))
    deff = latest.kish_deff
    waves = []
    for wave in study.waves:
        w = findings.run.weighting[wave.id]
        waves.append(
            {
                "wave": wave,
                "n": formats.count(w.n),
                "deff": formats.mark(w.kish_deff, 2),
                "effective_n": formats.count(w.effective_n),
                "g": f"{formats.mark(w.g_min, 2)} – {formats.mark(w.g_max, 2)}",
                "iterations": w.iterations,
                "margins": [
                    {
                        "variable": study.profile_question(r["variable"]).label,
                        "category": study.profile_question(r["variable"]).code_label(r["category"]),
                        "target": formats.count(r["target"]),
                        "target_share": formats.percent(r["target"] / study.population_total),
                        "achieved": formats.count(r["achieved"]),
                        "n": formats.count(r["sample_n"]),
                    }
                    for r in sorted(w.achieved.iter_rows(named=True), key=_margin_order(findings))
                ],
            }
        )
    errors = [
        {
            "n": formats.count(n),
            "cells": [
                f"± {formats.mark(100 * quantile * (p * (1 - p) * deff / n) ** 0.5)} pts"
                for p in SHARES
            ],
        }
        for n in BASES
    ]
    return {
        "waves": waves,
        "errors": errors,
        "shares": [f"{formats.percent(p)} ou {formats.percent(1 - p)}" for p in SHARES],
        "deff": formats.mark(deff, 2),
        "df": formats.count(latest.df),
        "confidence": formats.percent(study.confidence),
        "sources": [(study.profile_question(m.variable).label, m.source) for m in study.margins],
        "population": formats.count(study.population_total),
        "up": UP,
        "down": DOWN,
    }
