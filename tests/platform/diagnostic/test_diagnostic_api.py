"""The API: the questionnaire of an actor type, and results computed without storing anything."""

from __future__ import annotations

import random
from typing import Any

import pytest
from diagnostic_examples import ASSOCIATION
from django.test import Client

from observatoire.platform.diagnostic import questionnaire
from observatoire.platform.diagnostic.models import CompletionCount, Diagnostic

pytestmark = pytest.mark.django_db


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/diagnostic/results", body, content_type="application/json")


def test_questionnaire_of_an_actor_type(client: Client) -> None:
    data = client.get("/api/diagnostic/questionnaire?actor_type=associations").json()
    assert (data["questionnaire"], data["version"]) == ("faire-alliance", 1)
    assert [m["code"] for m in data["modules"]][:2] == ["profil", "pratiques"]
    assert data["estimated_minutes"] < 10
    questions = {q["code"]: q for m in data["modules"] for q in m["questions"]}
    assert "EMPLOYEUR" in questions and "COL_PROJET" not in questions
    partners = questions["PARTENARIATS"]
    assert partners["choices"][3] == {
        "code": "plus-5", "label": {"fr": "Plus de 5", "en": "More than 5"}, "points": 3,
        "subtopic": "pratique",
    }  # fmt: skip
    assert questions["IMPACTS"]["answer_keys"][0] == "IMPACTS.mobilisation"
    assert questions["JOUER_COLLECTIF"]["same_as"][0] == {
        "study": "impact-citoyens",
        "question": "Q2",
    }


def test_unknown_actor_type_is_422(client: Client) -> None:
    response = client.get("/api/diagnostic/questionnaire?actor_type=martiens")
    assert response.status_code == 422
    assert "unknown actor type 'martiens'" in response.json()["detail"]


def _complete(actor_type: str, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in questionnaire.get().answer_questions(actor_type):
        codes = [c.code for c in q.choices]
        for key in q.answer_codes:
            if q.kind == "number":
                out[key] = rng.randint(q.min or 0, q.max or 0)
            elif q.kind == "multiple":
                out[key] = rng.sample(codes, rng.randint(0, q.max_choices or len(codes)))
            else:
                out[key] = rng.choice(codes)
    return out


@pytest.mark.usefixtures("seed", "published", "directory")
@pytest.mark.parametrize("actor_type", questionnaire.get().actor_types)
def test_any_complete_answers_give_scores_door_alliances_for_94018(
    client: Client, actor_type: str
) -> None:
    rng = random.Random(actor_type)
    for _ in range(3):
        body = {"actor_type": actor_type, "commune": "94018",
                "answers": _complete(actor_type, rng)}  # fmt: skip
        response = _post(client, body)
        assert response.status_code == 200, response.content
        data = response.json()
        assert set(data["scores"]) == set(questionnaire.get().objectives)
        assert all(0 <= s <= 100 for s in data["scores"].values())
        assert data["door"] in data["scores"] and 0 <= data["floor"] <= 4
        assert data["reasons"]
        assert len(data["recommendations"]["alliances"]) >= 1
        assert len(data["recommendations"]["structures"]) >= 1, body
    assert not Diagnostic.objects.exists() and not CompletionCount.objects.exists()


@pytest.mark.usefixtures("seed", "published", "directory")
def test_the_association_example_in_english(client: Client) -> None:
    body = {"actor_type": "associations", "commune": "94018", "answers": ASSOCIATION,
            "language": "en"}  # fmt: skip
    data = _post(client, body).json()
    assert data["scores"]["performance-engagement"] == 52
    assert data["door"] == "modeles-socio-economiques" and data["floor"] == 1
    assert data["reasons"][0].startswith('You chose "Balance and hybridise')
    peer = next(p for p in data["peers"] if p["answer_key"] == "JOUER_COLLECTIF")
    region = next(f for f in peer["figures"] if f["territory"] == "11")
    assert region["base"] == 200 and region["ci_low"] < region["share"] < region["ci_high"]
    assert any("Q2ER" in a["title"] for a in data["recommendations"]["alliances"])
    assert data["notices"]  # the demo study's respondents are synthetic: said so


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"commune": "99999"}, "unknown commune '99999'"),
        ({"answers": {**ASSOCIATION, "QUESTION_X": "a"}}, "QUESTION_X: unknown question"),
        ({"answers": {**ASSOCIATION, "MESURE": "beaucoup"}}, "MESURE: unknown answer 'beaucoup'"),
        (
            {"answers": {k: v for k, v in ASSOCIATION.items() if k != "MESURE"}},
            "MESURE: answer required",
        ),
        ({"actor_type": "etat"}, "unknown actor type 'etat'"),
        ({"commune": "9401\x00"}, "null character"),
    ],
)
def test_bad_input_is_422_naming_it(client: Client, change: dict[str, Any], named: str) -> None:
    body = {"actor_type": "associations", "commune": "94018", "answers": ASSOCIATION, **change}
    response = _post(client, body)
    assert response.status_code == 422
    assert named in str(response.json()["detail"])


def test_oversized_input_is_refused_by_the_schema(client: Client) -> None:
    body = {"actor_type": "associations", "commune": "940180", "answers": {"A": "x" * 101}}
    response = _post(client, body)
    assert response.status_code == 422
