"""The full report: every question nationally, by region and by profile, wave comparisons and
a methodology chapter; written as HTML (OUT/report.html) and printed to PDF (OUT/report.pdf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scipy.stats import norm

from observatoire.studies import formats
from observatoire.studies.model import Question
from observatoire.studies.render import render_html, write_pdf
from observatoire.studies.views import DOWN, UP, ResultsView

BASES = (100, 200, 500, 1000, 2400)
SHARES = (0.1, 0.3, 0.5)


def write_report(view: ResultsView, out: Path, charts: dict[str, list[str]]) -> list[Path]:
    """Write OUT/report.html and OUT/report.pdf."""
    html_path, pdf_path = out / "report.html", out / "report.pdf"
    html = render_html("report.html", html_path, **report_context(view, charts))
    write_pdf(html, pdf_path, out)
    return [html_path, pdf_path]


def document_context(view: ResultsView) -> dict[str, Any]:
    """What every document shows: the study, the wave, the data it comes from."""
    study, wave = view.study, view.latest
    fieldwork = f", terrain du {wave.fieldwork[0]} au {wave.fieldwork[1]}" if wave.fieldwork else ""
    return {
        "study": study,
        "wave": wave,
        "previous": view.previous,
        "source": f"{study.title} {wave.year} — {study.producer} — données : {wave.file}"
        f" ({formats.count(wave.sample_size)} répondants{fieldwork})",
        "synthetic": study.synthetic_notice if study.synthetic else "",
        "messages": view.messages(),
        "regions": view.regions,
        "footer": f"{study.title} {wave.year}"
        + (" — répondants synthétiques (démonstration)" if study.synthetic else ""),
    }


def report_context(view: ResultsView, charts: dict[str, list[str]]) -> dict[str, Any]:
    study = view.study
    questions = study.published_questions(view.latest.id)
    return {
        **document_context(view),
        "questions": [_question(view, q, charts.get(q.code, [])) for q in questions],
        "method": _method(view),
    }


def _question(view: ResultsView, q: Question, charts: list[str]) -> dict[str, Any]:
    figures = view.figures(q)
    prev = view.previous.id if view.previous and q.asked_in(view.previous.id) else None
    national = []
    for code, indicator, category, label in figures:
        row = view.get(code, indicator, category) or {}
        national.append(
            {
                "label": label,
                "value": formats.value(row.get("estimate"), indicator),
                "ci": _ci(row, indicator),
                "n": formats.count(row.get("n")),
                "previous": view.text(code, indicator, category, wave=prev) if prev else "",
                "change": view.change(code, indicator, category) if prev else "",
                "bands": [view.text(code, "band", b.code) for b in q.bands],
                "rank": _rank(view, code, prev) if q.type == "scale" else "",
            }
        )
    regions = [
        {
            "label": label,
            "cells": [view.text(code, indicator, category)]
            + [
                _with_mark(view, code, indicator, category, territory)
                for territory, _name in view.regions
            ],
        }
        for code, indicator, category, label in figures
    ]
    changes = (
        [
            {
                "label": label,
                "cells": [view.change(code, indicator, category)]
                + [view.change(code, indicator, category, territory=territory)
                   for territory, _name in view.regions],
            }
            for code, indicator, category, label in figures
        ]
        if prev
        else []
    )  # fmt: skip
    profiles = []
    banner = [view.study.profile_question(p) for p in view.study.banner]
    for code, indicator, category, label in figures:
        cells = [
            view.text(code, indicator, category, profile=p.column, level=t.code)
            for p in banner
            for t in p.codes
        ]
        profiles.append({"label": label, "cells": cells})
    return {
        "q": q,
        "charts": charts,
        "previous": view.previous if prev else None,
        "national": national,
        "bands": [b.label for b in q.bands],
        "regions": regions,
        "changes": changes,
        "profiles": profiles,
        "banner": [{"label": p.label, "levels": [t.label for t in p.codes]} for p in banner],
        "unit": "moyenne /10" if q.type == "scale" else "% des répondants",
    }


def _ci(row: dict[str, Any], indicator: str) -> str:
    if row.get("ci_low") is None:
        return ""
    if indicator == "mean":
        return f"{formats.mark(row['ci_low'], 2)} – {formats.mark(row['ci_high'], 2)}"
    return f"{formats.percent(max(row['ci_low'], 0.0))} – {formats.percent(min(row['ci_high'], 1))}"


def _rank(view: ResultsView, code: str, previous: str | None) -> str:
    rank = view.estimate(code, "rank")
    if rank is None:
        return ""
    text = formats.ordinal(rank)
    change = view.estimate(code, "rank_change") if previous else None
    if change:
        text += f" ({'+' if change > 0 else '−'}{abs(int(change))})"
    return text


def _with_mark(view: ResultsView, code: str, indicator: str, category: str | None,
               territory: str) -> str:  # fmt: skip
    text = view.text(code, indicator, category, territory=territory)
    mark = view.versus_rest(code, indicator, category, territory)
    return f"{text} {mark[0]}" if mark else text


def _margin_order(view: ResultsView) -> Any:
    """Sort key putting achieved margins in study.yaml's order of margins and codes."""
    order = {
        (m.variable, code): (i, j)
        for i, m in enumerate(view.study.margins)
        for j, code in enumerate(m.targets)
    }
    return lambda row: order.get((row["variable"], row["category"]), (len(order), 0))


def _method(view: ResultsView) -> dict[str, Any]:
    study = view.study
    z = float(norm.ppf(0.5 + study.confidence / 2))
    latest = view.run.weighting[view.latest.id]
    deff = latest.kish_deff
    waves = []
    for wave in study.waves:
        w = view.run.weighting[wave.id]
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
                    for r in sorted(w.achieved.iter_rows(named=True), key=_margin_order(view))
                ],
            }
        )
    errors = [
        {
            "n": formats.count(n),
            "cells": [
                f"± {formats.mark(100 * z * (p * (1 - p) * deff / n) ** 0.5)} pts" for p in SHARES
            ],
        }
        for n in BASES
    ]
    return {
        "waves": waves,
        "errors": errors,
        "shares": [f"{formats.percent(p)} ou {formats.percent(1 - p)}" for p in SHARES],
        "deff": formats.mark(deff, 2),
        "confidence": formats.percent(study.confidence),
        "sources": [(study.profile_question(m.variable).label, m.source) for m in study.margins],
        "population": formats.count(study.population_total),
        "up": UP,
        "down": DOWN,
    }
