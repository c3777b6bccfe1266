"""`observatoire study validate`: every problem at once, each with file, row and column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from observatoire.cli.app import main
from observatoire.errors import located
from observatoire.studies import StudyInvalid
from observatoire.studies.spec.schema import FILE_RULE
from observatoire.studies.spec.validate import validate_study


def _data(folder: Path, wave: str) -> Path:
    return folder / "data" / f"impact-citoyens-{wave}.csv"


def _set(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell of a CSV file, `row` counted as data rows from 1."""
    frame = pl.read_csv(path, infer_schema=False)
    values = frame[column].to_list()
    values[row - 1] = value
    frame.with_columns(pl.Series(column, values)).write_csv(path)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out + captured.err


def test_the_demo_study_is_valid(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(["study", "validate", str(demo)], capsys)
    assert code == 0, output
    assert "Valid" in output and "2022: 2400 respondents" in output


def test_an_out_of_range_mark_in_row_57_fails_with_file_row_column_and_allowed_values(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(demo_copy, "2022")
    _set(data, 57, "q3_sante", "11")
    code, output = _run(["study", "validate", str(demo_copy)], capsys)
    assert code == 2
    flat = " ".join(output.split())
    assert str(data) in flat.replace(" ", "") or data.name in flat
    assert "row 57" in flat
    assert "'q3_sante'" in flat
    assert "value '11'" in flat and "whole numbers 1 to 10, or don't know 99" in flat

    out = tmp_path / "OUT"
    code, output = _run(["study", "run", str(demo_copy), "--out", str(out)], capsys)
    assert code == 2
    assert "row 57" in " ".join(output.split())
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [demo_copy]


def test_every_problem_is_reported_at_once(demo_copy: Path) -> None:
    data = _data(demo_copy, "2022")
    _set(data, 3, "q1", "florissant")
    _set(data, 10, "respondent_id", "2022-00001")
    _set(data, 12, "q9_citoyen", "2")
    _set(data, 20, "region", "")
    frame = pl.read_csv(_data(demo_copy, "2019"), infer_schema=False).drop("q2")
    frame.write_csv(_data(demo_copy, "2019"))
    with pytest.raises(StudyInvalid) as caught:
        validate_study(demo_copy)
    found = {(Path(p.file).name, p.row, p.column) for p in caught.value.problems}
    name22, name19 = data.name, "impact-citoyens-2019.csv"
    assert (name22, 3, "q1") in found
    assert (name22, 10, "respondent_id") in found
    assert (name22, 1, "respondent_id") in found
    assert (name22, 12, "q9_citoyen") in found
    assert (name22, 20, "region") in found
    assert (name19, None, "q2") in found
    text = str(caught.value)
    assert "one of dynamique, en-difficulte, sinistre" in text
    assert "duplicate respondent id '2022-00001'" in text
    assert "missing column (expected by question Q2)" in text


def test_a_missing_data_file_says_how_to_create_it(demo_copy: Path) -> None:
    _data(demo_copy, "2019").unlink()
    with pytest.raises(StudyInvalid, match="generate-demo"):
        validate_study(demo_copy)


def test_many_bad_rows_are_summarised_per_column(demo_copy: Path) -> None:
    data = _data(demo_copy, "2022")
    frame = pl.read_csv(data, infer_schema=False)
    frame.with_columns(pl.lit("x").alias("q5")).write_csv(data)
    with pytest.raises(StudyInvalid) as caught:
        validate_study(demo_copy)
    problems = [p for p in caught.value.problems if p.column == "q5"]
    assert len(problems) == 11
    assert "2390 more rows" in problems[-1].message


def test_an_open_question_is_validated_as_text_and_gives_no_figures(demo_copy: Path) -> None:
    import yaml

    from observatoire.studies.compute.figures import analysis_frame

    path = demo_copy / "study.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    document["questions"].append(
        {"code": "Q12", "label": "Un mot pour conclure ?", "type": "open", "column": "q12",
         "waves": ["2022"]}
    )  # fmt: skip
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    data = _data(demo_copy, "2022")
    frame = pl.read_csv(data, infer_schema=False)
    frame.with_columns(pl.lit("Faire ensemble, 100 % !").alias("q12")).write_csv(data)
    study, waves = validate_study(demo_copy)
    assert waves["2022"]["q12"][0] == "Faire ensemble, 100 % !"
    assert "Q12" not in [q.code for q in study.published_questions("2022")]
    _frame, families = analysis_frame(study, "2022", waves["2022"])
    assert all(f.source.code != "Q12" for f in families)


@pytest.mark.parametrize("path", ["../secret.csv", "/etc/passwd", "data/../../x.csv"])
def test_a_wave_file_outside_the_study_folder_is_refused(demo_copy: Path, path: str) -> None:
    """Issue 9, item 10: a study.yaml file path could point outside the study folder."""
    study_yaml = demo_copy / "study.yaml"
    document = yaml.safe_load(study_yaml.read_text("utf-8"))
    document["waves"][0]["file"] = path
    study_yaml.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    with pytest.raises(StudyInvalid) as caught:
        validate_study(demo_copy)
    assert str(caught.value.problems[0]) == located(
        f"{path!r} is not a file inside the study folder: {FILE_RULE}",
        str(study_yaml),
        field="waves.0.file",
    )
