"""The documents of a multi-population study: the two-page "Regards croisés" (A4 recto-verso)
and the full report, whose first chapter is the cross-reading, then one chapter per surveyed
population (its figures by profile), then the method. HTML printed to PDF by WeasyPrint."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from observatoire.results_contract import Results, formats, significant
from observatoire.results_contract.crossreading import Cell, CrossReading, Line
from observatoire.studies.outputs.charts import Chart
from observatoire.studies.outputs.crossreading.charts import chart_lines, crossreading_charts
from observatoire.studies.outputs.crossreading.publication import PopulationsPublication
from observatoire.studies.outputs.findings import DOWN, UP, headline
from observatoire.studies.outputs.render import write_document
from observatoire.studies.spec.model import Question
from observatoire.studies.spec.populations import Population


def write_regards(publication: PopulationsPublication, out: Path) -> list[Path]:
    """Write OUT/regards-croises.html and OUT/regards-croises.pdf (two A4 pages)."""
    context = regards_context(publication, crossreading_charts(publication))
    return write_document("regards.html", out / "regards-croises.html", out, context)


def write_report(publication: PopulationsPublication, out: Path) -> list[Path]:
    """Write OUT/report.html and OUT/report.pdf."""
    context = report_context(publication, crossreading_charts(publication))
    return write_document("populations_report.html", out / "report.html", out, context)


def _common(publication: PopulationsPublication) -> dict[str, Any]:
    study = publication.run.study
    return {
        "study": study,
        "wave": study.wave,
        "synthetic": study.synthetic_notice if study.synthetic else "",
        "footer": publication.footer,
        "populations": [
            {
                **p,
                "sample": formats.count(p["sample_size"]),
                "deff": formats.mark(p["kish_deff"], 2),
                "effective": formats.count(p["effective_n"]),
                "weights": formats.count(p["weighted_total"]),
            }
            for p in publication.meta["populations"]
        ],
        "confidence": formats.percent(study.confidence),
        "up": UP,
        "down": DOWN,
    }


def cell_text(cell: Cell) -> str:
    """ "92 %", with "*" for a small base and "n.p." when withheld."""
    row = cell.row
    if row is None:
        return ""
    if row["estimate"] is None:
        return "n.p."
    return formats.percent(row["estimate"]) + ("*" if cell.small_base else "")


def gap_text(cell: Cell) -> str:
    """The difference with the reference population, with ▲/▼ where significant."""
    gap = cell.versus_reference
    if gap is None or gap["estimate"] is None:
        return ""
    text = formats.difference(gap["estimate"], gap["indicator"])
    if significant(gap):
        return f"{text} {UP if gap['estimate'] > 0 else DOWN}"
    return text


def _arrow(cell: Cell) -> str:
    gap = cell.versus_reference
    if gap is None or not significant(gap):
        return ""
    return f" {UP}" if gap["estimate"] > 0 else f" {DOWN}"


def _line(line: Line, reading: CrossReading) -> dict[str, Any]:
    item = line.question_label.split(" : ", 1)[1] if " : " in line.question_label else None
    label = f"{line.category_label} (total)" if line.indicator == "group" else line.category_label
    return {
        "item": item,
        "label": label,
        "cells": [
            {
                "value": cell_text(cell),
                "ci": _interval(cell.row),
                "n": formats.count(cell.row["n"]) if cell.row is not None else "",
                "gap": gap_text(cell),
                "own": cell.own,
                "reference": cell.population == reading.reference,
                "published": _published(cell),
            }
            for cell in line.cells
        ],
    }


def _interval(row: Any) -> str:
    if row is None or row["ci_low"] is None:
        return ""
    return f"{formats.percent(row['ci_low'])}–{formats.percent(row['ci_high'])}"


def _published(cell: Cell) -> str:
    source = cell.published
    if not source or source["status"] == "unpublished":
        return ""
    mark = "" if source["status"] == "published" else " (lecture reconstituée)"
    return f"{formats.percent(source['value'])}{mark}"


def _messages(publication: PopulationsPublication) -> list[str]:
    """What the cross-reading says, one sentence per shared question's headline figure and one
    on the actors' view of their own performance."""
    reading = publication.reading
    study = publication.run.study
    messages = []
    reference = reading.reference
    for q in study.questions:
        lines = chart_lines(reading, q)
        if not lines or q.items:
            continue
        line = lines[0]
        _, _, group_label = headline(q)
        actors = [c for c in line.cells if c.population != reference and c.row is not None]
        parts = [f"{cell_text(c)} des {reading.label(c.population).lower()}" for c in actors]
        sentence = f"{q.short_label} : {group_label.lower()} pour " + ", ".join(parts)
        ref = line.cell(reference) if reference else None
        if ref is not None and ref.row is not None:
            sentence += f", contre {cell_text(ref)} des {reading.label(reference or '').lower()}"
        messages.append(sentence + ".")
    own = [
        (line, cell)
        for q in study.questions
        if q.items
        for line in chart_lines(reading, q)
        for cell in line.cells
        if cell.own and cell.row is not None
    ]
    if own:
        parts = [f"{cell_text(c)} des {reading.label(c.population).lower()}" for _, c in own]
        messages.append(
            "Chaque acteur sur sa propre performance (impact fort ou très fort) : "
            + ", ".join(parts)
            + "."
        )
    return messages


def regards_context(publication: PopulationsPublication, charts: list[Chart]) -> dict[str, Any]:
    reading = publication.reading
    study = publication.run.study
    tiles = []
    first = next((q for q in study.questions if not q.items), None)
    if first is not None:
        for line in chart_lines(reading, first)[:1]:
            for cell in line.cells:
                tiles.append(
                    {
                        "value": cell_text(cell),
                        "label": reading.label(cell.population),
                        "gap": gap_text(cell),
                        "n": formats.count(cell.row["n"]) if cell.row is not None else "",
                        "population": cell.population,
                    }
                )
    front = [c.png for c in charts if first is not None and c.question == first.code]
    back = [c.png for c in charts if first is None or c.question != first.code]
    grids = [
        {
            "title": f"{q.short_label} — {headline(q)[2].lower()}",
            "columns": [p.label for p in reading.populations],
            "rows": [
                {
                    "label": line.question_label.split(" : ", 1)[-1],
                    "cells": [
                        {"value": cell_text(cell) + _arrow(cell), "own": cell.own,
                         "reference": cell.population == reading.reference}
                        for cell in line.cells
                    ],
                }
                for line in chart_lines(reading, q)
            ],
        }
        for q in study.questions
        if q.items and reading.of(q.code)
    ]  # fmt: skip
    method = "; ".join(
        f"{p['label']} : {formats.count(p['sample_size'])} répondants"
        + (f" ({p['study_title']} {p['source_wave']})" if "study" in p else "")
        for p in publication.meta["populations"]
    )
    return {
        **_common(publication),
        "messages": _messages(publication),
        "tiles": tiles,
        "tile_label": headline(first)[2] if first is not None else "",
        "front": front,
        "back": back,
        "grids": grids,
        "method": method,
        "source": publication.meta.get("published_source", ""),
    }


def report_context(publication: PopulationsPublication, charts: list[Chart]) -> dict[str, Any]:
    reading = publication.reading
    study = publication.run.study
    by_question = {c.question: c.png for c in charts}
    questions = [
        {
            "q": q,
            "chart": by_question.get(q.code),
            "lines": [_line(line, reading) for line in reading.of(q.code)],
            "matrix": _matrix(publication, q),
        }
        for q in study.questions
        if reading.of(q.code)
    ]
    results = Results(publication.run.results, [study.wave.id])
    chapters = [
        _population_chapter(publication, results, p)
        for p in study.populations
        if not p.external and (p.banner or p.territory)
    ]
    return {
        **_common(publication),
        "messages": _messages(publication),
        "headers": [p.label for p in reading.populations],
        "reference": reading.reference,
        "questions": questions,
        "chapters": chapters,
        "published_source": publication.meta.get("published_source", ""),
        "calibration": _calibration(publication),
    }


def _matrix(publication: PopulationsPublication, q: Question) -> dict[str, Any]:
    """Each actor against each other on the question's headline figures: the differences."""
    reading = publication.reading
    results = Results(publication.run.results, [publication.run.study.wave.id])
    actors = [p.code for p in reading.populations if p.code != reading.reference]
    rows = []
    for line in chart_lines(reading, q):
        item = line.question_label.split(" : ", 1)[1] if " : " in line.question_label else ""
        for a in actors:
            cells = []
            for b in actors:
                row = (
                    results.versus_population(line.question, line.indicator, line.category, a, b)
                    if a != b
                    else None
                )
                cells.append("" if row is None else gap_text(Cell(a, None, row, False, None)))
            rows.append({"item": item, "label": reading.label(a), "cells": cells})
    return {
        "columns": [reading.label(b) for b in actors],
        "rows": rows,
        "items": any(row["item"] for row in rows),
    }


def _population_chapter(
    publication: PopulationsPublication, results: Results, p: Population
) -> dict[str, Any]:
    """A surveyed population's headline figures by each of its profiles (and region)."""
    study = publication.run.study
    breakdowns = [*p.banner, *([p.territory] if p.territory else [])]
    tables = []
    for variable in breakdowns:
        question = p.profile(variable)
        levels = [(t.code, t.label) for t in question.codes]
        rows = []
        for q in study.questions:
            if q.code not in p.questions:
                continue
            indicator, category, label = headline(q)
            items = [(f"{q.code}.{t.code}", t.label) for t in q.items] or [(q.code, label)]
            for code, item_label in items:
                national = results.get(code, indicator, category, population=p.code)
                cells = []
                for level, _ in levels:
                    if variable == p.territory:
                        row = results.get(code, indicator, category, population=p.code,
                                          territory=level)  # fmt: skip
                    else:
                        row = results.get(code, indicator, category, population=p.code,
                                          profile=variable, profile_level=level)  # fmt: skip
                    cells.append(_short(row, publication.run.study.min_base))
                rows.append(
                    {
                        "label": f"{q.short_label} — {item_label}" if q.items else item_label,
                        "all": _short(national, study.min_base),
                        "cells": cells,
                    }
                )
        bases = []
        for level, _ in levels:
            where = {"territory": level} if variable == p.territory else {
                "profile": variable, "profile_level": level}  # fmt: skip
            first = study.questions[0]
            indicator, category, _ = headline(first)
            row = results.get(first.code, indicator, category, population=p.code, **where)
            bases.append(formats.count(row["n"]) if row is not None else "")
        tables.append(
            {"title": question.label, "levels": [_keep_numbers(label) for _, label in levels],
             "rows": rows, "bases": bases}
        )  # fmt: skip
    return {"population": p, "tables": tables}


def _keep_numbers(label: str) -> str:
    """No line break inside a number such as "20 000"."""
    return re.sub(r"(\d) (\d{3})", "\\1\u00a0\\2", label)


def _short(row: Any, min_base: int) -> str:
    if row is None:
        return ""
    if row["estimate"] is None:
        return "n.p."
    return formats.percent(row["estimate"]) + ("*" if row["n"] < min_base else "")


STATUS_MARKS = {"published": "", "inferred": "ⁱ", "unpublished": "ᵘ"}


def _calibration(publication: PopulationsPublication) -> list[dict[str, Any]]:
    """For each headline figure, per population: the figure the source gives (ⁱ read through an
    OCR fix or a column attribution, ᵘ unpublished: the demo's own value) and the estimate."""
    reading = publication.reading
    rows = []
    for line in reading.lines:
        if line.indicator != "group" or not any(c.published for c in line.cells):
            continue
        cells = []
        for cell in line.cells:
            source = cell.published
            reference = (
                f"{formats.percent(source['value'])}{STATUS_MARKS[source['status']]}"
                if source
                else ""
            )
            cells.append({"reference": reference, "estimate": cell_text(cell)})
        rows.append({"figure": f"{line.question_label} — {line.category_label}", "cells": cells})
    return rows
