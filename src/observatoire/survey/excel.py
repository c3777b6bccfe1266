"""Excel export of a banner, laid out as analysts read tables (xlsxwriter).

One sheet per question: the banner's columns across (Total, then each profile variable's levels
under a merged header, with their letters), the bases on top (unweighted, weighted, effective),
then for each row of the question its percentage or mean and, underneath, its significance
markers. Headers are frozen; shares use the "0 %" format, means "0.0" (Excel shows the
reader's decimal comma). Small bases are in grey italics with an asterisk, suppressed cells show
"–". A "Données" sheet holds the tidy table (every field, intervals included) and a "Notes" sheet
the method, the marker legend and every setting.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from observatoire.survey.banner import Banner
from observatoire.survey.banner.table import Language
from observatoire.survey.errors import SurveyError

HEADER_ROWS = 7
"""Title, variable header, column header, letters, then the three bases."""
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

TEXTS = {
    "fr": {
        "unweighted": "Base non pondérée (n)",
        "weighted": "Base pondérée",
        "effective": "Base effective",
        "small": "* base inférieure à {n} : à interpréter avec prudence ; – : résultat masqué "
        "(base inférieure à {m})",
        "notes": "Notes",
        "data": "Données",
        "settings": "Paramètres",
        "method": "Méthode",
    },
    "en": {
        "unweighted": "Unweighted base (n)",
        "weighted": "Weighted base",
        "effective": "Effective base",
        "small": "* base under {n}: read with caution; –: suppressed (base under {m})",
        "notes": "Notes",
        "data": "Data",
        "settings": "Settings",
        "method": "Method",
    },
}


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _FORBIDDEN.sub("_", name)[:31] or "Question"
    candidate, suffix = base, 2
    while candidate.lower() in taken:
        candidate = f"{base[: 31 - len(str(suffix)) - 1]}~{suffix}"
        suffix += 1
    taken.add(candidate.lower())
    return candidate


class _Formats:
    """The workbook's cell formats, created once."""

    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format(
            {
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bottom": 1,
                "bg_color": "#E8EEF4",
            }
        )
        self.letter = book.add_format({"align": "center", "font_color": "#555555", "italic": True})
        self.label = book.add_format({"text_wrap": True})
        self.base_label = book.add_format({"italic": True, "font_color": "#555555"})
        self.count = book.add_format({"num_format": "0", "align": "center"})
        self.count_small = book.add_format(
            {"num_format": '0"*"', "align": "center", "italic": True, "font_color": "#888888"}
        )
        self.percent = book.add_format({"num_format": "0 %", "align": "center"})
        self.percent_small = book.add_format(
            {"num_format": "0 %", "align": "center", "italic": True, "font_color": "#888888"}
        )
        self.mean = book.add_format({"num_format": "0.0", "align": "center"})
        self.mean_small = book.add_format(
            {"num_format": "0.0", "align": "center", "italic": True, "font_color": "#888888"}
        )
        self.marker = book.add_format({"align": "center", "font_color": "#1F4E79", "font_size": 9})
        self.suppressed = book.add_format({"align": "center", "font_color": "#888888"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _question_sheet(
    sheet: Worksheet, cells: pl.DataFrame, banner: Banner, formats: _Formats, language: Language
) -> None:
    texts = TEXTS[language]
    columns = banner.columns
    first = cells.row(0, named=True)
    sheet.write(0, 0, first["question_label"], formats.title)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, columns.height, 11)
    sheet.write(1, 0, "", formats.header)
    sheet.write(2, 0, "", formats.header)
    variables = columns.get_column("column_variable_label").to_list()
    start = 0
    for index in range(1, len(variables) + 1):
        if index == len(variables) or variables[index] != variables[start]:
            if index - 1 > start:
                sheet.merge_range(1, start + 1, 1, index, variables[start], formats.header)
            else:
                sheet.write(1, start + 1, variables[start], formats.header)
            start = index
    for offset, column in enumerate(columns.iter_rows(named=True)):
        sheet.write(2, offset + 1, column["column_label"], formats.header)
        sheet.write(3, offset + 1, column["column_letter"] or "", formats.letter)

    by_row = cells.partition_by("row", maintain_order=True)
    bases = by_row[0]
    for line, (field, label) in enumerate(
        [
            ("n", texts["unweighted"]),
            ("weighted_n", texts["weighted"]),
            ("effective_n", texts["effective"]),
        ]
    ):
        sheet.write(4 + line, 0, label, formats.base_label)
        for offset, cell in enumerate(bases.iter_rows(named=True)):
            style = formats.count_small if cell["small_base"] else formats.count
            sheet.write_number(4 + line, offset + 1, round(cell[field]), style)
    line = HEADER_ROWS
    for row_cells in by_row:
        info = row_cells.row(0, named=True)
        sheet.write(line, 0, info["row_label"], formats.label)
        share = info["statistic"] == "share"
        for offset, cell in enumerate(row_cells.iter_rows(named=True)):
            if cell["suppressed"] or cell["estimate"] is None:
                sheet.write_string(line, offset + 1, "–", formats.suppressed)
                continue
            if share:
                style = formats.percent_small if cell["small_base"] else formats.percent
            else:
                style = formats.mean_small if cell["small_base"] else formats.mean
            sheet.write_number(line, offset + 1, cell["estimate"], style)
            marker = f"{cell['vs_rest']} {cell['letters']}".strip()
            if marker:
                sheet.write_string(line + 1, offset + 1, marker, formats.marker)
        line += 2
    settings = banner.settings
    sheet.write(
        line,
        0,
        texts["small"].format(n=settings.small_base, m=settings.minimum_base),
        formats.base_label,
    )
    sheet.write(line + 1, 0, banner.footnote(language), formats.base_label)
    sheet.freeze_panes(HEADER_ROWS, 1)


def _notes_sheet(sheet: Worksheet, banner: Banner, formats: _Formats, language: Language) -> None:
    texts = TEXTS[language]
    settings = banner.settings
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 90)
    sheet.write(0, 0, texts["method"], formats.title)
    sheet.set_row(1, 150)
    sheet.merge_range(1, 0, 1, 1, banner.footnote(language), formats.wrap)
    sheet.write(3, 0, texts["settings"], formats.title)
    rows: list[tuple[str, Any]] = [
        ("confidence", settings.confidence),
        ("significance (first level)", settings.significance[0]),
        ("significance (second level)", settings.significance[1]),
        ("correction", settings.correction),
        ("small_base", settings.small_base),
        ("minimum_base", settings.minimum_base),
        ("letters", settings.letters),
        ("degrees of freedom", banner.df),
    ]
    for line, (name, value) in enumerate(rows, start=4):
        sheet.write(line, 0, name)
        sheet.write(line, 1, str(value))


def write_banner_excel(banner: Banner, path: str | Path, *, language: Language = "en") -> Path:
    """Write `banner` to an .xlsx workbook at `path` (one sheet per question, data, notes).

    The file is written to a temporary name and renamed, so a failure leaves no half-written
    workbook behind. `language` is that of the labels and the footnote ("en" or "fr").
    """
    if language not in TEXTS:
        raise SurveyError(f"language must be one of {', '.join(TEXTS)}", field="language")
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    book = xlsxwriter.Workbook(str(partial), {"nan_inf_to_errors": True})
    try:
        _fill(book, banner, language)
        book.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def _fill(book: Workbook, banner: Banner, language: Language) -> None:
    """Every sheet of the workbook."""
    formats = _Formats(book)
    taken: set[str] = set()
    for cells in banner.table.partition_by("question", maintain_order=True):
        name = _sheet_name(str(cells.item(0, "question")), taken)
        _question_sheet(book.add_worksheet(name), cells, banner, formats, language)
    data = book.add_worksheet(_sheet_name(TEXTS[language]["data"], taken))
    table = banner.table
    data.write_row(0, 0, table.columns, formats.header)
    for line, values in enumerate(table.iter_rows(), start=1):
        data.write_row(line, 0, ["" if v is None else v for v in values])
    data.freeze_panes(1, 0)
    data.autofilter(0, 0, table.height, table.width - 1)
    _notes_sheet(
        book.add_worksheet(_sheet_name(TEXTS[language]["notes"], taken)),
        banner,
        formats,
        language,
    )
