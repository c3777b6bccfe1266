"""A multi-population study.yaml, its universes and its published figures: read, and every
problem reported with its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from observatoire import territory
from observatoire.studies.spec.populations import is_multi_population, load_multi_study
from observatoire.studies.spec.problems import StudyInvalid
from observatoire.studies.spec.published import load_published
from observatoire.studies.spec.universes import load_universe


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    document = yaml.safe_load(path.read_text("utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def test_the_demo_declares_five_populations_and_two_shared_questions(
    actors: Path, demo: Path
) -> None:
    assert is_multi_population(actors) and not is_multi_population(demo)
    study = load_multi_study(actors)
    assert [p.code for p in study.populations] == [
        "citoyens",
        "collectivites",
        "entreprises",
        "associations",
        "fondations",
    ]
    assert [q.code for q in study.questions] == ["Q2", "Q7"]
    citizens = study.population("citoyens")
    assert citizens.external and citizens.study == demo.resolve() and citizens.source_wave == "2022"
    mayors = study.population("collectivites")
    assert mayors.strata == ("region", "commune_size")
    assert mayors.universe is not None and mayors.universe.total == territory.commune_frame().total
    assert "decoupage-administratif" in mayors.universe.source
    assert study.published is not None
    assert study.published.own_item["entreprises"] == "Q7.performance-entreprises"


def test_universe_files_carry_their_sources_and_status(actors: Path) -> None:
    companies = load_universe(actors / "universes" / "entreprises.yaml")
    assert companies.margin("size")["grande"] == 294  # INSEE, 2021, as published
    assert companies.approximate and "INSEE" in companies.source and "approchée" in companies.source
    associations = load_universe(actors / "universes" / "associations.yaml")
    assert associations.margin("employer")["employeuse"] == 146_740
    foundations = load_universe(actors / "universes" / "fondations.yaml")
    assert foundations.total == 5_388 and not foundations.approximate
    assert foundations.stratum_sizes(()) == {(): 5_388}


def test_universe_problems_name_file_and_field(tmp_path: Path, actors: Path) -> None:
    path = tmp_path / "entreprises.yaml"
    path.write_text((actors / "universes" / "entreprises.yaml").read_text("utf-8"), "utf-8")

    def spoil(doc: dict) -> None:  # type: ignore[type-arg]
        doc["cells"][0]["status"] = "guessed"
        doc["cells"][1]["sector"] = "mining"
        doc["cells"][2]["count"] = -3
        doc["margins"]["size"][3]["count"] = 300

    _edit(path, spoil)
    with pytest.raises(StudyInvalid) as caught:
        load_universe(path)
    text = str(caught.value)
    assert "field 'cells.0.status': status 'guessed' is not one of" in text
    assert "field 'cells.1.sector': unknown sector 'mining'" in text
    assert "count must be a positive number, not -3" in text
    assert "the cells of size 'grande' add up to 294, not to its margin 300" in text
    assert str(path) in text
    with pytest.raises(StudyInvalid, match="universe file not found"):
        load_universe(tmp_path / "missing.yaml")


def test_published_problems_name_the_cell(tmp_path: Path, actors: Path) -> None:
    path = tmp_path / "published.yaml"
    path.write_text((actors / "published.yaml").read_text("utf-8"), "utf-8")

    def spoil(doc: dict) -> None:  # type: ignore[type-arg]
        doc["questions"]["Q2"]["cells"]["entreprises"]["value"] = 83
        doc["questions"]["Q7"]["items"]["mobilisation"]["fondations"]["status"] = "likely"

    _edit(path, spoil)
    with pytest.raises(StudyInvalid) as caught:
        load_published(path)
    text = str(caught.value)
    assert "field 'questions.Q2.entreprises': value must be a share from 0 to 1, not 83" in text
    assert "field 'questions.Q7.items.mobilisation.fondations': status 'likely'" in text


def test_population_problems_are_all_reported(actors_copy: Path) -> None:
    def spoil(doc: dict) -> None:  # type: ignore[type-arg]
        doc["populations"][1]["questions"] = ["Q2", "Q99"]
        doc["populations"][2]["code"] = "pirates"
        doc["populations"][2]["design"]["strata"] = ["size", "turnover"]
        doc["populations"][3]["design"]["allocation"]["sizes"]["employeuse"] = 10

    _edit(actors_copy / "study.yaml", spoil)
    with pytest.raises(StudyInvalid) as caught:
        load_multi_study(actors_copy)
    text = str(caught.value)
    assert "field 'populations.1.questions': unknown shared question Q99" in text
    assert "field 'populations.2.code': population code 'pirates' is not an actor type" in text
    assert "field 'populations.2.design.strata': 'turnover' is not a profile question" in text
    assert "'turnover' is not a dimension of the universe 'entreprises'" in text
    assert "field 'populations.3.design.allocation': allocation adds up to 310" in text


def test_the_schema_of_a_study_of_several_populations(actors_copy: Path) -> None:
    def spoil(doc: dict) -> None:  # type: ignore[type-arg]
        doc["populations"][4]["weighting"]["method"] = "magic"
        del doc["populations"][3]["data"]
        doc["populations"][0]["colour"] = "grey"
        del doc["wave"]

    _edit(actors_copy / "study.yaml", spoil)
    with pytest.raises(StudyInvalid) as caught:
        load_multi_study(actors_copy)
    text = str(caught.value)
    assert "'populations.4.weighting.method': 'magic' is not one of ['raking', 'none']" in text
    assert "field 'populations.3': 'data' is a required property" in text
    assert "field 'populations.0': Additional properties are not allowed ('colour'" in text
    assert "field '(document)': 'wave' is a required property" in text


def test_files_of_populations_stay_inside_the_study_folder(actors_copy: Path) -> None:
    """Issue 9, item 10: a study.yaml file path could point outside the study folder (read, and
    written by `study generate`). A sibling study referenced as a population stays allowed."""

    def spoil(doc: dict) -> None:  # type: ignore[type-arg]
        doc["populations"][1]["universe"] = "../../universes/elus.yaml"
        doc["populations"][2]["data"]["file"] = "/etc/passwd"
        doc["published"] = "data/../../published.yaml"

    _edit(actors_copy / "study.yaml", spoil)
    with pytest.raises(StudyInvalid) as caught:
        load_multi_study(actors_copy)
    text = str(caught.value)
    for field in ("populations.1.universe", "populations.2.data.file", "published"):
        assert f"field '{field}': " in text
    assert text.count("is not a file inside the study folder") == 3
