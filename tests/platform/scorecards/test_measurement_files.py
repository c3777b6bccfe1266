"""Measurement files: every row checked first, one bad row saves nothing and names the file, the
row and the column; CSV (comma or semicolon, UTF-8 or Windows-1252) and Excel; round trips."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
import xlsxwriter

from observatoire.platform.scorecards import measurement_files as files
from observatoire.platform.scorecards.models import Measurement

HEADER = "indicator,date,value,confidence,source,note\n"


@pytest.fixture
def indicators(add_indicator: Any) -> None:
    add_indicator(code="personnes-touchees")
    add_indicator(code="partenaires-par-type")
    add_indicator(
        code="eleves-stage",
        name="Élèves accueillis en stage",
        perspective="enjeux",
        level="realisation",
        unit="personnes",
    )


def _import(scorecard: Any, text: str, name: str = "mesures.csv", **kw: Any) -> Any:
    return files.import_measurements(scorecard, name, text.encode("utf-8"), None, **kw)


@pytest.mark.django_db
def test_a_valid_file_saves_every_row(scorecard: Any, indicators: None) -> None:
    report = _import(
        scorecard,
        HEADER + "personnes-touchees,2023-06-30,250,declaratif,Bilan,\n"
        'eleves-stage,2023-06-30,"1 234,5",mesure,Registre,\n',
    )
    assert report.error_count == 0 and report.saved is not None
    assert report.saved.created == 2
    assert Measurement.objects.get(indicator__code="eleves-stage").value == Decimal("1234.5")


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_names_file_row_and_column(
    scorecard: Any, indicators: None
) -> None:
    text = (
        HEADER + "personnes-touchees,2023-06-30,250,declaratif,Bilan,\n"
        "eleves-stage,2023-06-30,beaucoup,mesure,Registre,\n"
        "personnes-touchees,2022-06-30,200,declaratif,Bilan,\n"
    )
    report = _import(scorecard, text)
    assert report.saved is None and Measurement.objects.count() == 0
    assert [str(e) for e in report.errors] == [
        "mesures.csv, row 3, column 'value': 'beaucoup' is not a number"
    ]
    assert "rien n'a été enregistré" in report.lines()[0]


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once(scorecard: Any, indicators: None) -> None:
    text = (
        HEADER + "inconnu,2023-06-30,1,declaratif,Bilan,\n"
        "personnes-touchees,2023-13-01,1,declaratif,Bilan,\n"
        "personnes-touchees,2023-06-30,1,declaratif,,\n"
    )
    report = _import(scorecard, text)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "indicator"),
        (3, "date"),
        (4, "source"),
    ]


@pytest.mark.django_db
def test_file_level_problems(scorecard: Any, indicators: None) -> None:
    def first_error(content: bytes, name: str = "m.csv") -> str:
        report = files.import_measurements(scorecard, name, content, None)
        return str(report.errors[0])

    assert (
        first_error(b"indicator,date\n")
        == "m.csv, row 1: missing column(s): value, confidence, source"
    )
    assert "column 'couleur': unknown column" in first_error(
        HEADER.replace("note", "couleur").encode()
    )
    assert "NUL bytes" in first_error(b"indicator\x00,date\n")
    assert "expected a .csv or .xlsx file" in first_error(b"x", "m.ods")
    assert "not a readable Excel workbook" in first_error(b"PK\x03\x04 nope", "m.xlsx")
    assert "larger than 2 MB" in first_error(b"x" * (files.MAX_BYTES + 1))
    dup = (
        HEADER + "personnes-touchees,2023-06-30,1,declaratif,A,\n"
        "personnes-touchees,2023-06-30,2,declaratif,A,\n"
    )
    assert first_error(dup.encode()) == (
        "m.csv, row 3, column 'date': same indicator, date and breakdown as row 2"
    )


@pytest.mark.django_db
def test_french_spreadsheet_csv_semicolons_and_windows_1252(
    scorecard: Any, indicators: None
) -> None:
    text = "indicator;date;value;confidence;source\neleves-stage;2023-06-30;12,5;mesure;Relevé é\n"
    report = files.import_measurements(scorecard, "m.csv", text.encode("cp1252"), None)
    assert report.error_count == 0
    assert Measurement.objects.get().source == "Relevé é"


@pytest.mark.django_db
def test_flows_may_not_overlap(scorecard: Any, indicators: None) -> None:
    header = "indicator,period_start,date,value,confidence,source\n"
    assert _import(scorecard, header + "eleves-stage,2022-09-01,2023-06-30,10,mesure,A\n").saved
    report = _import(scorecard, header + "eleves-stage,2023-01-01,2023-12-31,5,mesure,A\n")
    assert report.errors[0].row == 2 and "overlaps the period 2022-09-01" in str(report.errors[0])
    # the same period again replaces the value: no overlap with itself
    again = _import(scorecard, header + "eleves-stage,2022-09-01,2023-06-30,11,mesure,A\n")
    assert again.saved is not None and again.saved.updated == 1


@pytest.mark.django_db
def test_excel_import_reads_dates_and_numbers(scorecard: Any, indicators: None) -> None:
    import datetime

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["indicator", "date", "breakdown", "value", "confidence", "source"])
    sheet.write(1, 0, "partenaires-par-type")
    sheet.write_datetime(
        1, 1, datetime.datetime(2023, 6, 30), book.add_format({"num_format": "dd/mm/yyyy"})
    )
    sheet.write_row(1, 2, ["entreprises"])
    sheet.write_number(1, 3, 4)
    sheet.write_row(1, 4, ["audite", "Convention"])
    sheet.write_row(2, 0, ["partenaires-par-type", "2023-06-30", "licornes", 1, "audite", "X"])
    book.close()
    report = files.import_measurements(scorecard, "m.xlsx", out.getvalue(), None)
    assert [str(e) for e in report.errors] == [
        "m.xlsx, row 3, column 'breakdown': unknown code 'licornes' (allowed: citoyens, "
        "collectivites, entreprises, associations, fondations, academiques, etat, investisseurs)"
    ]
    good = files.to_xlsx(
        [
            {
                "indicator": "partenaires-par-type",
                "date": "2023-06-30",
                "breakdown": "entreprises",
                "value": "4",
                "confidence": "audite",
                "source": "Convention",
            }
        ]
    )
    report = files.import_measurements(scorecard, "m.xlsx", good, None)
    assert report.saved is not None and report.saved.created == 1


@pytest.mark.django_db
def test_export_imports_back_unchanged(scorecard: Any, indicators: None) -> None:
    text = (
        HEADER + 'personnes-touchees,2023-06-30,250,declaratif,Bilan,=HYPERLINK("x")\n'
        "eleves-stage,2023-06-30,12.5,mesure,-note,\n"
    )
    assert _import(scorecard, text).saved
    indicators_ = list(scorecard.indicators.all())
    csv_text = files.to_csv(files.export_rows(indicators_))
    assert "'=HYPERLINK" in csv_text  # a spreadsheet will not run it
    for name, content in (
        ("m.csv", csv_text.encode()),
        ("m.xlsx", files.to_xlsx(files.export_rows(indicators_))),
    ):
        report = files.import_measurements(scorecard, name, content, None)
        assert report.saved is not None
        assert (report.saved.created, report.saved.updated, report.saved.unchanged) == (0, 0, 2)
    assert Measurement.objects.get(indicator__code="personnes-touchees").note == '=HYPERLINK("x")'


@pytest.mark.django_db
def test_dry_run_saves_nothing(scorecard: Any, indicators: None) -> None:
    report = _import(scorecard, HEADER + "eleves-stage,2023-06-30,3,mesure,A,\n", dry_run=True)
    assert report.error_count == 0 and report.saved is None and not Measurement.objects.exists()
