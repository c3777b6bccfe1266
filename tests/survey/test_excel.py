"""Excel export: one sheet per question with bases, formats and markers; data and notes sheets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest

from observatoire.survey import Design, SurveyError
from observatoire.survey.banner import Banner, BannerSettings, BannerVariable, Question, banner
from observatoire.survey.banner.table import Band
from observatoire.survey.excel import HEADER_ROWS, write_banner_excel


@pytest.fixture(scope="module")
def result() -> Banner:
    rng = np.random.default_rng(3)
    n = 600
    frame = pl.DataFrame(
        {
            "sexe": rng.choice([1, 2], size=n),
            "age": rng.choice(["18-34", "35+"], size=n),
            "rare": np.where(np.arange(n) < 20, "oui", "non"),
            "q1": np.clip(rng.integers(1, 11, size=n), 1, 10),
            "avis": rng.choice(["oui", "non"], size=n),
            "w": rng.uniform(0.5, 1.5, n),
        }
    )
    design = Design.from_frame(frame, weights="w")
    bands = (Band("1–5", 1, 5), Band("6–7", 6, 7), Band("8–10", 8, 10))
    questions = [
        Question("q1", "Santé : note de fragilité", kind="scale", bands=bands),
        Question("avis"),
    ]
    columns = [BannerVariable("sexe", "Sexe", {1: "Homme", 2: "Femme"}), "age", "rare"]
    return banner(design, questions, columns, settings=BannerSettings(minimum_base=25))


def test_workbook_layout(tmp_path: Path, result: Banner) -> None:
    path = write_banner_excel(result, tmp_path / "banner.xlsx", language="fr")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["q1", "avis", "Données", "Notes"]
    sheet = book["q1"]
    assert sheet["A1"].value == "Santé : note de fragilité"
    assert [sheet.cell(2, c).value for c in (2, 3, 5, 7)] == ["Total", "Sexe", "age", "rare"]
    assert "C2:D2" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(3, c).value for c in range(2, 5)] == ["Total", "Homme", "Femme"]
    assert [sheet.cell(4, c).value for c in range(3, 5)] == ["A", "B"]
    assert sheet["A5"].value == "Base non pondérée (n)" and sheet["B5"].value == 600
    assert sheet.freeze_panes == f"B{HEADER_ROWS + 1}"
    first_band = sheet.cell(HEADER_ROWS + 1, 2)
    assert first_band.number_format == "0 %"
    total = result.table.filter(pl.col("column_variable").is_null() & (pl.col("question") == "q1"))
    assert first_band.value == pytest.approx(total["estimate"][0])
    mean_row = HEADER_ROWS + 1 + 2 * 3
    assert sheet.cell(mean_row, 1).value == "Moyenne"
    assert sheet.cell(mean_row, 2).number_format == "0.0"


def test_markers_small_and_suppressed_cells(tmp_path: Path, result: Banner) -> None:
    path = write_banner_excel(result, tmp_path / "banner.xlsx")
    sheet = openpyxl.load_workbook(path)["q1"]
    rare_oui = 1 + 1 + result.columns.height - 1  # last column: rare = "oui" (20 respondents)
    assert sheet.cell(3, rare_oui).value == "oui"
    assert sheet.cell(5, rare_oui).number_format == '0"*"'  # small base flagged
    assert sheet.cell(HEADER_ROWS + 1, rare_oui).value == "–"  # under minimum_base: suppressed
    table = result.table.filter(pl.col("question") == "q1")
    marked = table.with_row_index().filter((pl.col("vs_rest") != "") | (pl.col("letters") != ""))
    for cell in marked.iter_rows(named=True):
        row_number = HEADER_ROWS + 2 + 2 * (cell["index"] // result.columns.height)
        column_number = 2 + cell["index"] % result.columns.height
        shown = sheet.cell(row_number, column_number).value
        assert shown == f"{cell['vs_rest']} {cell['letters']}".strip()


def test_data_and_notes_sheets(tmp_path: Path, result: Banner) -> None:
    book = openpyxl.load_workbook(write_banner_excel(result, tmp_path / "b.xlsx", language="fr"))
    data = book["Données"]
    assert [c.value for c in data[1]] == result.table.columns
    assert data.max_row == result.table.height + 1
    notes = book["Notes"]
    assert notes["A2"].value == result.footnote("fr")
    settings = {notes.cell(r, 1).value: notes.cell(r, 2).value for r in range(5, 13)}
    assert settings["minimum_base"] == "25" and settings["correction"] == "none"


def test_english_labels_and_no_partial_file_on_error(tmp_path: Path, result: Banner) -> None:
    book = openpyxl.load_workbook(write_banner_excel(result, tmp_path / "b.xlsx"))  # English
    assert book.sheetnames[-2:] == ["Data", "Notes"]
    assert book["q1"]["A5"].value == "Unweighted base (n)"
    with pytest.raises(SurveyError, match="language must be one of fr, en"):
        write_banner_excel(result, tmp_path / "x.xlsx", language="de")  # type: ignore[arg-type]
    broken = Banner(result.table.drop("row_label"), result.columns, result.settings, result.df)
    with pytest.raises(KeyError):
        write_banner_excel(broken, tmp_path / "broken.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]
