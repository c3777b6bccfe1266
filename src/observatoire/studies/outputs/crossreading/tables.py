"""The Excel workbook of a multi-population study: one sheet per shared question, its figures in
rows and the populations in columns (estimate, confidence interval, base, and for each actor the
difference with the citizens, marked ▲/▼ where significant), plus a method sheet describing each
population's universe, sample and design. Written from the published rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from observatoire.results_contract import formats, significant
from observatoire.results_contract.crossreading import Cell, CrossReading, Line
from observatoire.studies.outputs.crossreading.publication import PopulationsPublication
from observatoire.studies.outputs.findings import DOWN, UP
from observatoire.studies.outputs.tables import workbook_styles
from observatoire.studies.spec.model import Question

HEADER_ROW = 4
FIRST = 1  # first column of figures (column 0 holds the labels)


def write_tables(publication: PopulationsPublication, out: Path) -> list[Path]:
    """Write OUT/tables.xlsx."""
    path = out / "tables.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    styles = _styles(workbook)
    _method_sheet(workbook, styles, publication)
    for q in publication.run.study.questions:
        if publication.reading.of(q.code):
            _question_sheet(workbook, styles, publication, q)
    workbook.close()
    return [path]


def _styles(workbook: Any) -> dict[str, Any]:
    add = workbook.add_format
    return {
        **workbook_styles(workbook),
        "item": add({"bold": True, "bg_color": "#f3f6fb"}),
        "own": add({"num_format": "0%", "bold": True, "border": 1, "border_color": "#1f2a44"}),
        "small": add({"num_format": "0%", "italic": True, "font_color": "#8a6d1f"}),
        "text": add({"font_color": "#555555"}),
        "up": add({"bold": True, "font_color": "#1f6b45", "align": "right"}),
        "down": add({"bold": True, "font_color": "#a12626", "align": "right"}),
        "same": add({"font_color": "#555555", "align": "right"}),
    }


def _columns(reading: CrossReading) -> list[tuple[str, str, str]]:
    """(population, heading, what) for every column: estimate, interval, base, and the
    difference with the reference for every other population."""
    columns = []
    for p in reading.populations:
        columns += [(p.code, "%", "estimate"), (p.code, "IC", "interval"), (p.code, "Base", "n")]
        if reading.reference and p.code != reading.reference:
            columns.append((p.code, f"Écart / {reading.label(reading.reference).lower()}", "gap"))
    return columns


def _question_sheet(
    workbook: Any, styles: dict[str, Any], publication: PopulationsPublication, q: Question
) -> None:
    reading, study = publication.reading, publication.run.study
    sheet = workbook.add_worksheet(q.code[:31])
    sheet.write(0, 0, f"{q.code} — {q.short_label} : regards croisés", styles["title"])
    sheet.write(1, 0, q.label, styles["note"])
    legend = (
        f"Parts des répondants ayant répondu ; IC à {formats.percent(study.confidence)} ; "
        f"{UP} / {DOWN} : écart significatif avec les citoyens (échantillons indépendants) ; "
        "encadré : l'acteur sur sa propre performance ; en italique : base faible."
    )
    sheet.write(2, 0, legend, styles["note"])
    if study.synthetic:
        sheet.write(3, 0, study.synthetic_notice, styles["warn"])
    columns = _columns(reading)
    start = FIRST
    for p in reading.populations:
        span = sum(1 for code, _, _ in columns if code == p.code)
        if span > 1:
            sheet.merge_range(HEADER_ROW, start, HEADER_ROW, start + span - 1, p.label,
                              styles["group"])  # fmt: skip
        else:
            sheet.write(HEADER_ROW, start, p.label, styles["group"])
        start += span
    for j, (_, heading, _) in enumerate(columns, start=FIRST):
        sheet.write(HEADER_ROW + 1, j, heading, styles["head"])
    r = HEADER_ROW + 2
    current_item = None
    for line in reading.of(q.code):
        item = line.question_label.split(" : ", 1)[1] if " : " in line.question_label else None
        if item and item != current_item:
            sheet.write(r, 0, item, styles["item"])
            current_item = item
            r += 1
        sheet.write(r, 0, _label(line), styles["label"])
        for j, (population, _, what) in enumerate(columns, start=FIRST):
            cell = line.cell(population)
            if cell is not None:
                _write(sheet, styles, r, j, cell, what)
        r += 1
    sheet.set_column(0, 0, 46)
    sheet.set_column(FIRST, FIRST + len(columns), 10)
    sheet.freeze_panes(HEADER_ROW + 2, FIRST)


def _label(line: Line) -> str:
    if line.indicator == "group":
        return f"{line.category_label} (total)"
    return line.category_label or line.category or ""


def _write(sheet: Any, styles: dict[str, Any], r: int, j: int, cell: Cell, what: str) -> None:
    row = cell.row
    if row is None or row["estimate"] is None:
        if what == "estimate" and row is not None:
            sheet.write(r, j, "n.p.", styles["text"])  # suppressed: base too small
        return
    if what == "estimate":
        style = "own" if cell.own else "small" if cell.small_base else "share"
        sheet.write_number(r, j, row["estimate"], styles[style])
    elif what == "interval":
        text = f"{formats.percent(row['ci_low'])} – {formats.percent(row['ci_high'])}"
        sheet.write(r, j, text, styles["text"])
    elif what == "n":
        sheet.write_number(r, j, row["n"], styles["count"])
    elif what == "gap" and cell.versus_reference is not None:
        gap = cell.versus_reference
        text = formats.difference(gap["estimate"], gap["indicator"])
        if significant(gap):
            arrow = UP if gap["estimate"] > 0 else DOWN
            sheet.write(r, j, f"{text} {arrow}", styles["up" if arrow == UP else "down"])
        else:
            sheet.write(r, j, text, styles["same"])


def _method_sheet(
    workbook: Any, styles: dict[str, Any], publication: PopulationsPublication
) -> None:
    study = publication.run.study
    sheet = workbook.add_worksheet("Méthode")
    lines: list[tuple[str, str]] = [
        (f"{study.title} {study.wave.id} — regards croisés : tableaux", "title"),
        (study.universe, "label"),
    ]
    if study.synthetic:
        lines.append((study.synthetic_notice, "warn"))
    lines += [
        ("", "label"),
        ("Chaque population est une enquête distincte (univers, plan de sondage, pondération "
         "propres) : les écarts entre populations sont des différences entre échantillons "
         "indépendants, dont la variance est la somme des variances.", "label"),
        (f"Chiffres sur moins de {study.min_base} répondants en italique (base faible) ; sur "
         f"moins de {study.suppress_below}, non publiés (n.p.).", "label"),
        ("", "label"),
    ]  # fmt: skip
    for p in publication.meta["populations"]:
        lines.append((p["label"], "title"))
        lines.append((f"Univers : {p['universe']}", "label"))
        if "study" in p:
            lines.append((f"Lu dans l'étude {p['study_title']}, vague {p['source_wave']}, avec "
                          "son propre plan et son propre redressement.", "label"))  # fmt: skip
        lines.append((f"Source de l'univers : {p['universe_source']}", "label"))
        lines.append((f"Plan : {p['design']}", "label"))
        lines.append(
            (f"{formats.count(p['sample_size'])} répondants, effet de plan (Kish) "
             f"{formats.mark(p['kish_deff'], 2)}, taille efficace "
             f"{formats.count(p['effective_n'])}, poids totaux "
             f"{formats.count(p['weighted_total'])}", "label")
        )  # fmt: skip
        lines.append(("", "label"))
    for i, (text, style) in enumerate(lines):
        sheet.write(i, 0, text, styles[style])
    sheet.set_column(0, 0, 150)
