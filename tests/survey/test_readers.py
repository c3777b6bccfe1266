"""Readers: every supported format round-trips, labels are kept, bad files say what is wrong."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyreadstat
import pytest

from observatoire.errors import InputError
from observatoire.survey.readers import SurveyFrame, read_survey

FRAME = pl.DataFrame(
    {"sexe": [1, 2, 2, 1], "q1": [5.0, 7.0, None, 10.0], "commune": ["A", "B", "C", "D"]}
)
VALUE_LABELS = {"sexe": {1: "Homme", 2: "Femme"}}
VARIABLE_LABELS = {"sexe": "Sexe", "q1": "Santé (note sur 10)"}


@pytest.mark.parametrize(
    ("suffix", "write"),
    [
        (".csv", lambda frame, path: frame.write_csv(path)),
        (".parquet", lambda frame, path: frame.write_parquet(path)),
        (".xlsx", lambda frame, path: frame.write_excel(path)),
    ],
)
def test_plain_formats_round_trip_without_labels(tmp_path: Path, suffix: str, write) -> None:
    path = tmp_path / f"microdonnees{suffix}"
    write(FRAME, path)
    survey = read_survey(path)
    assert survey.frame.columns == FRAME.columns
    assert survey.frame.get_column("q1").to_list() == [5.0, 7.0, None, 10.0]
    assert survey.frame.get_column("commune").to_list() == ["A", "B", "C", "D"]
    assert survey.labels == {}


@pytest.mark.parametrize("writer", [pyreadstat.write_sav, pyreadstat.write_dta])
def test_spss_and_stata_keep_codes_and_labels(tmp_path: Path, writer) -> None:
    path = tmp_path / ("fichier.sav" if writer is pyreadstat.write_sav else "fichier.dta")
    writer(
        FRAME.to_pandas(),
        str(path),
        column_labels=VARIABLE_LABELS,
        variable_value_labels=VALUE_LABELS,
    )
    survey = read_survey(path)
    assert survey.frame.get_column("sexe").to_list() == [1, 2, 2, 1]
    assert survey.frame.get_column("q1").null_count() == 1
    assert survey.labels == {"sexe": {1: "Homme", 2: "Femme"}}
    assert survey.variable_labels == VARIABLE_LABELS
    assert survey.labelled("sexe").to_list() == ["Homme", "Femme", "Femme", "Homme"]


def test_labelled_keeps_unlabelled_codes_and_unknown_columns_fail() -> None:
    survey = SurveyFrame(pl.DataFrame({"region": [1, 2, 3]}), {"region": {1: "Bretagne"}})
    assert survey.labelled("region").to_list() == ["Bretagne", "2", "3"]
    with pytest.raises(InputError, match="no column 'age'"):
        survey.labelled("age")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"absent\.csv: file not found"):
        read_survey(tmp_path / "absent.csv")


def test_unsupported_extension_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match=r"unsupported extension '\.txt'; supported: .*\.sav"):
        read_survey(path)


@pytest.mark.parametrize("suffix", [".sav", ".dta", ".parquet", ".xlsx"])
def test_corrupt_file_is_unreadable_not_a_crash(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"abime{suffix}"
    path.write_bytes(b"this is not a statistical file")
    with pytest.raises(InputError, match=rf"abime\{suffix}: cannot read this file: .+"):
        read_survey(path)


def test_csv_with_a_bad_value_far_down_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "donnees.csv"
    path.write_text("q1\n" + "1\n" * 20_000 + "beaucoup\n")
    with pytest.raises(
        InputError, match=r"donnees\.csv: cannot read this file: could not parse `beaucoup`"
    ):
        read_survey(path)
