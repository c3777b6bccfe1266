"""study.yaml: the published JSON Schema and the checks of meaning made when loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from observatoire import territory
from observatoire.cli.app import main
from observatoire.studies import StudyInvalid, load_study
from observatoire.studies.spec.schema import study_schema


def _edit(folder: Path, change: object) -> None:
    path = folder / "study.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    change(document)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")


def test_the_published_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(study_schema())


def test_the_schema_command_prints_the_published_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["study", "schema"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out) == study_schema()


def test_the_demo_study_loads_with_its_vocabularies(demo: Path) -> None:
    study = load_study(demo)
    assert study.code == "impact-citoyens"
    assert [w.id for w in study.waves] == ["2019", "2022"]
    fragilities = study.question("Q3")
    assert len(fragilities.items) == 16 and fragilities.scale == (1, 10)
    assert [b.code for b in fragilities.bands] == ["1-5", "6-7", "8-10"]
    assert study.question("Q1").codes[0].label == "Dynamique"


def test_demo_weighting_targets_are_the_adult_populations_of_the_study_regions(demo: Path) -> None:
    study = load_study(demo)
    regions = next(m for m in study.margins if m.variable == "region")
    expected = {r.code: r.adult_population.value for r in territory.study_regions()}
    assert regions.targets == expected
    assert study.population_total == sum(expected.values())
    assert 51e6 < study.population_total < 52.5e6
    names = {t.code: t.label for t in study.profile_question("region").codes}
    assert names == {r.code: r.name for r in territory.study_regions()}


def test_schema_problems_are_all_reported_with_their_field(demo_copy: Path) -> None:
    def change(doc: dict) -> None:
        doc["colour"] = "blue"
        doc["waves"][0]["year"] = "last year"
        doc["questions"][0]["type"] = "ranking"

    _edit(demo_copy, change)
    with pytest.raises(StudyInvalid) as caught:
        load_study(demo_copy)
    fields = {p.field for p in caught.value.problems}
    assert {"(document)", "waves.0.year", "questions.0.type"} <= fields
    assert "colour" in str(caught.value)


def test_meaning_problems_name_the_field_and_what_is_allowed(demo_copy: Path) -> None:
    def change(doc: dict) -> None:
        doc["weighting"]["margins"][1]["targets"]["f"] += 5_000_000
        doc["questions"][6]["codes"] = {"vocabulary": "colours"}
        doc["banner"].append("income")

    _edit(demo_copy, change)
    with pytest.raises(StudyInvalid) as caught:
        load_study(demo_copy)
    text = str(caught.value)
    assert "weighting.margins.1.targets" in text and "not to the population total" in text
    assert "unknown vocabulary 'colours'" in text
    assert "banner variable 'income' is not a profile question" in text
    fields = {p.field for p in caught.value.problems}
    assert {"weighting.margins.1.targets", "questions.6.codes", "banner.5"} <= fields


def test_a_missing_study_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(StudyInvalid, match=r"study\.yaml not found"):
        load_study(tmp_path)
