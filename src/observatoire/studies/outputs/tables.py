"""Excel tables, two workbooks:

- tables.xlsx: one sheet per question (figures × France, evolution, regions, profiles) plus a
  method sheet, written from the tidy results, so it agrees with results.parquet to the last
  digit, nets and wave-over-wave changes included;
- banner.xlsx: the survey engine's banner of the latest wave (every answer × Total, regions and
  banner profiles, with unweighted, weighted and effective bases, markers against the rest of
  the sample and column letters), written by observatoire.survey.excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from observatoire.results_contract import Indicator, formats, is_mean, significant
from observatoire.studies.outputs.findings import FigureRef, Findings
from observatoire.studies.outputs.publication import Publication
from observatoire.studies.spec.model import Question, Study
from observatoire.survey import banner as engine_banner
from observatoire.survey.excel import write_banner_excel

HEADER_ROW = 5


def write_tables(publication: Publication, out: Path) -> list[Path]:
    """Write OUT/tables.xlsx."""
    findings = publication.findings
    path = out / "tables.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    styles = workbook_styles(workbook)
    _method_sheet(workbook, styles, findings)
    for q in findings.study.published_questions(findings.latest.id):
        _question_sheet(workbook, styles, findings, q)
    workbook.close()
    return [path]


def write_banner(publication: Publication, out: Path) -> list[Path]:
    """Write OUT/banner.xlsx: the engine's banner of the latest wave."""
    results = publication.run
    study = results.study
    wave = study.latest
    settings = engine_banner.BannerSettings(
        confidence=study.confidence,
        small_base=study.min_base,
        minimum_base=study.suppress_below,
    )
    columns = [
        engine_banner.BannerVariable(
            column, study.profile_question(column).label,
            {t.code: t.label for t in study.profile_question(column).codes},
        )
        for column in (study.territory, *study.banner)
    ]  # fmt: skip
    computed = engine_banner.banner(
        results.designs[wave.id], banner_questions(study, wave.id), columns, settings=settings
    )
    return [write_banner_excel(computed, out / "banner.xlsx", language="fr")]


def banner_questions(study: Study, wave: str) -> list[engine_banner.Question]:
    """The wave's questions as banner rows: one per data column (grid item, option)."""
    rows = []
    for q in study.published_questions(wave):
        cells: list[tuple[str | None, str]] = [(t.label, q.item_column(t.code)) for t in q.items]
        for item, column in cells or [(None, q.column)]:
            label = f"{q.code} — {q.short_label}" + (f" : {item}" if item else "")
            if q.type == "scale" and q.bands:  # the study's reading of the scale
                bands = tuple(engine_banner.Band(b.label, b.min, b.max) for b in q.bands)
                rows.append(engine_banner.Question(column, label, kind="scale", bands=bands))
            elif q.type in ("scale", "numeric"):  # a scale without bands: its mean
                rows.append(engine_banner.Question(column, label, kind="numeric"))
            elif q.type == "multiple":
                rows.append(engine_banner.Question(column, label, levels={1: "Oui", 0: "Non"}))
            else:
                levels = {t.code: t.label for t in q.codes}
                rows.append(engine_banner.Question(column, label, levels=levels))
    return rows


def workbook_styles(workbook: Any) -> dict[str, Any]:
    """The cell formats every study workbook shares."""
    add = workbook.add_format
    return {
        "title": add({"bold": True, "font_size": 13, "font_color": "#1f3f7a"}),
        "note": add({"italic": True, "font_color": "#555555"}),
        "warn": add({"bold": True, "font_color": "#8a1f1f"}),
        "group": add({"bold": True, "bg_color": "#dfe6f1", "align": "center", "border": 1}),
        "head": add({"bold": True, "bg_color": "#eef2f8", "text_wrap": True, "valign": "top",
                     "align": "center", "border": 1}),
        "label": add({"text_wrap": True}),
        "share": add({"num_format": "0%"}),
        "mean": add({"num_format": "0.0"}),
        "share_up": add({"num_format": "0%", "bold": True, "font_color": "#1f6b45"}),
        "share_down": add({"num_format": "0%", "bold": True, "font_color": "#a12626"}),
        "mean_up": add({"num_format": "0.0", "bold": True, "font_color": "#1f6b45"}),
        "mean_down": add({"num_format": "0.0", "bold": True, "font_color": "#a12626"}),
        "count": add({"num_format": "# ##0", "font_color": "#555555"}),
        "text": add({}),
    }  # fmt: skip


def _rows(findings: Findings, q: Question) -> list[FigureRef]:
    """Figures of a question's sheet: for 1–10 grids the mean and every band of each item."""
    figures = findings.figures(q)
    if q.type != "scale":
        return figures
    rows: list[FigureRef] = []
    for code, _indicator, _category, label in figures:
        rows.append((code, Indicator.MEAN, None, f"{label} — moyenne /10"))
        rows += [(code, Indicator.BAND, b.code, f"{label} — {b.label.lower()}") for b in q.bands]
    return rows


def _question_sheet(workbook: Any, styles: dict[str, Any], findings: Findings, q: Question) -> None:
    study, latest, previous = findings.study, findings.latest, findings.previous
    sheet = workbook.add_worksheet(q.code[:31])
    sheet.write(0, 0, f"{q.code} — {q.short_label}", styles["title"])
    sheet.write(1, 0, q.label, styles["note"])
    sheet.write(2, 0, f"{study.title} {latest.year} — données : {latest.file}", styles["note"])
    if study.synthetic:
        sheet.write(3, 0, study.synthetic_notice, styles["warn"])
    prev = previous.id if previous is not None and q.asked_in(previous.id) else None
    columns: list[tuple[str, str, dict[str, Any]]] = [("Ensemble", f"France {latest.year}", {})]
    if prev and previous is not None:
        columns += [("Ensemble", f"France {previous.year}", {"wave": prev}),
                    ("Ensemble", "Évolution", {"change": True})]  # fmt: skip
    columns += [("Régions", name, {"territory": code}) for code, name in findings.regions]
    for column in study.banner:
        p = study.profile_question(column)
        columns += [
            (p.label, t.label, {"profile": column, "profile_level": t.code}) for t in p.codes
        ]
    _headers(sheet, styles, columns)
    rows = _rows(findings, q)
    for i, (code, indicator, category, label) in enumerate(rows):
        r = HEADER_ROW + 2 + i
        sheet.write(r, 0, label, styles["label"])
        for j, (_group, _label, where) in enumerate(columns, start=1):
            _cell(sheet, styles, findings, r, j, code, indicator, category, where)
    r = HEADER_ROW + 2 + len(rows)
    sheet.write(r, 0, "Base (répondants)", styles["note"])
    first = rows[0]
    for j, (_group, _label, where) in enumerate(columns, start=1):
        if where.get("change"):
            continue
        row = findings.get(first[0], first[1], first[2], **where)
        if row is not None and row["n"] is not None:
            sheet.write_number(r, j, row["n"], styles["count"])
    legend = (
        "En gras vert / rouge : significativement au-dessus / en dessous du reste de la France "
        "(régions) ; évolution suivie de * : significative."
    )
    sheet.write(r + 2, 0, legend, styles["note"])
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, len(columns), 11)
    sheet.freeze_panes(HEADER_ROW + 2, 1)


def _headers(sheet: Any, styles: dict[str, Any], columns: list[tuple[str, str, Any]]) -> None:
    start = 1
    for j in range(1, len(columns) + 1):
        group = columns[j - 1][0]
        last = j == len(columns) or columns[j][0] != group
        if last:
            if j > start:
                sheet.merge_range(HEADER_ROW, start, HEADER_ROW, j, group, styles["group"])
            else:
                sheet.write(HEADER_ROW, start, group, styles["group"])
            start = j + 1
        sheet.write(HEADER_ROW + 1, j, columns[j - 1][1], styles["head"])
    sheet.set_row(HEADER_ROW + 1, 48)


def _cell(sheet: Any, styles: dict[str, Any], findings: Findings, r: int, j: int, code: str,
          indicator: str, category: str | None, where: dict[str, Any]) -> None:  # fmt: skip
    kind = "mean" if is_mean(indicator) else "share"
    if where.get("change"):
        row = findings.results.change(code, indicator, category)
        if row is not None and row["estimate"] is not None:
            text = formats.difference(row["estimate"], indicator)
            sheet.write(r, j, f"{text}{' *' if significant(row) else ''}", styles["text"])
        return
    row = findings.get(code, indicator, category, **where)
    if row is None or row["estimate"] is None:
        return
    style = kind
    if "territory" in where:
        contrast = findings.results.versus_rest(code, indicator, category, where["territory"])
        if contrast is not None and significant(contrast):
            style = f"{kind}_{'up' if contrast['estimate'] > 0 else 'down'}"
    sheet.write_number(r, j, row["estimate"], styles[style])


def _method_sheet(workbook: Any, styles: dict[str, Any], findings: Findings) -> None:
    study = findings.study
    sheet = workbook.add_worksheet("Méthode")
    lines = [
        (f"{study.title} — tableaux", "title"),
        (study.universe, "text"),
        (study.design_description, "text"),
    ]
    if study.synthetic:
        lines.append((study.synthetic_notice, "warn"))
    lines += [
        ("", "text"),
        ("Lecture : pourcentages = parts de la population représentée (répondants ayant répondu "
         "à la question) ; moyennes sur l'échelle de la question. Erreurs types par linéarisation "
         "après calage ; intervalles à "
         f"{formats.percent(study.confidence)} dans results.parquet.", "text"),
        (f"Chiffres sur moins de {study.min_base} répondants signalés (small_base) ; sur moins "
         f"de {study.suppress_below}, non publiés.", "text"),
        ("", "text"),
    ]  # fmt: skip
    for wave in study.waves:
        w = findings.run.weighting[wave.id]
        lines.append(
            (f"Vague {wave.year} : {formats.count(w.n)} répondants, effet de plan (Kish) "
             f"{formats.mark(w.kish_deff, 2)}, taille efficace {formats.count(w.effective_n)}, "
             f"fichier {wave.file}", "text")
        )  # fmt: skip
    lines.append(("", "text"))
    lines.append(("Cibles de redressement", "title"))
    for m in study.margins:
        lines.append((f"{study.profile_question(m.variable).label} : {m.source}", "text"))
    for i, (text, style) in enumerate(lines):
        sheet.write(i, 0, text, styles[style])
    sheet.set_column(0, 0, 140)
