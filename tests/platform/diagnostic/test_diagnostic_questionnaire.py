"""The questionnaire file: valid, short enough, and faithful to the studies it borrows from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from observatoire import vocabularies
from observatoire.platform.diagnostic import questionnaire
from observatoire.platform.diagnostic.questionnaire import QuestionnaireInvalid

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = questionnaire.versions()[max(questionnaire.versions())]


def test_the_shipped_questionnaire_loads_with_every_actor_type_of_the_issue() -> None:
    qn = questionnaire.get()
    assert set(qn.actor_types) == {
        "collectivites", "entreprises", "associations", "fondations", "academiques", "citoyens",
    }  # fmt: skip
    assert set(qn.actor_types) <= set(vocabularies.ACTOR_TYPES.codes)
    assert qn.objectives == vocabularies.OBJECTIVES.codes
    for actor_type in qn.actor_types:
        modules = [m.code for m in qn.modules_for(actor_type)]
        assert modules[0] == "profil" and actor_type in modules  # core, then its own module


@pytest.mark.parametrize("actor_type", questionnaire.get().actor_types)
def test_every_path_takes_under_ten_minutes(actor_type: str) -> None:
    qn = questionnaire.get()
    assert qn.estimated_seconds(actor_type) < qn.timing["limit_minutes"] * 60


def _study_question(study: str, code: str) -> dict[str, Any]:
    """The question as its study.yaml declares it (read as data, whatever the study's shape)."""
    path = ROOT / "studies" / study / "study.yaml"
    assert path.is_file(), f"the questionnaire refers to study {study!r}, absent from studies/"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(q for q in document["questions"] if q["code"] == code)


def _terms(spec: Any) -> list[tuple[str, str]]:
    if isinstance(spec, dict):
        return [(t.code, t.fr) for t in vocabularies.get(spec["vocabulary"])]
    return [(str(t["code"]), str(t["label"])) for t in spec or ()]


def test_questions_shared_with_the_studies_keep_their_wording_and_scale() -> None:
    """Fails as soon as a wording, an answer code or an answer label drifts from a study."""
    shared = [q for q in questionnaire.get().questions() if q.same_as]
    assert len(shared) >= 8
    for q in shared:
        for ref in q.same_as:
            theirs = _study_question(ref.study, ref.question)
            where = f"{q.code} vs {ref.study} {ref.question}"
            assert q.label.fr == theirs["label"], where
            ours = [(c.code, c.label.fr) for c in q.choices]
            if q.kind == "multiple":  # the options are the study's items, each ticked or not
                assert theirs["type"] == "multiple", where
                assert ours == _terms(theirs["items"]), where
                continue
            assert ours == _terms(theirs["codes"]), where
            assert [(i.code, i.label.fr) for i in q.items] == _terms(theirs.get("items")), where


def _broken(tmp_path: Path, change: Any) -> Path:
    document = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "questionnaire-v99.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _question(document: dict[str, Any], code: str) -> dict[str, Any]:
    return next(q for m in document["modules"] for q in m["questions"] if q["code"] == code)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(actor_types=[*d["actor_types"], "martiens"]), "unknown actor types"),
        (lambda d: _question(d, "MESURE").update(subtopic="nulle-part"), "unknown subtopic"),
        (lambda d: _question(d, "MESURE").update(required=False), "must be required"),
        (lambda d: _question(d, "DOMAINES").update(choices={"vocabulary": "x"}), "vocabulary"),
        (lambda d: d["scoring"]["objectives"].pop("innovation-societale"), "four objectives"),
        (lambda d: d["scoring"]["reasons"]["wish"].update(fr="{porte}"), "placeholders"),
        (lambda d: d["scoring"]["door"].update(wish_question="NOPE"), "unknown question 'NOPE'"),
        (lambda d: _question(d, "ANCIENNETE")["bands"].pop(), "bands must cover"),
        (lambda d: d["scoring"]["floor"].update(requires_signal="jamais-vu"), "emits signal"),
        (lambda d: d.update(version="un"), "is not of type 'integer'"),
    ],
)
def test_a_broken_file_is_refused_naming_the_problem(
    tmp_path: Path, change: Any, message: str
) -> None:
    with pytest.raises(QuestionnaireInvalid) as caught:
        questionnaire.load(_broken(tmp_path, change))
    assert message in str(caught.value)


def test_every_objective_must_be_scored_for_every_actor_type(tmp_path: Path) -> None:
    def drop_citizens_territory(document: dict[str, Any]) -> None:
        module = next(m for m in document["modules"] if m["code"] == "citoyens")
        module["questions"] = [
            q for q in module["questions"] if q["code"] not in ("CIT_ALLIANCE", "CIT_CONCERTATION")
        ]

    with pytest.raises(QuestionnaireInvalid, match="'citoyens' in objective 'co-construction"):
        questionnaire.load(_broken(tmp_path, drop_citizens_territory))
