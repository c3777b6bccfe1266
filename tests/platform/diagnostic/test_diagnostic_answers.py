"""Answers are checked the same way for the pages and the API; each problem names its answer."""

from __future__ import annotations

from typing import Any

import pytest
from diagnostic_examples import ASSOCIATION
from django.utils import translation

from observatoire.errors import InputError
from observatoire.platform.diagnostic import answers, questionnaire


def _problems(raw: dict[str, Any], actor_type: str = "associations") -> dict[str, str]:
    with pytest.raises(answers.AnswersInvalid) as caught:  # in the active language
        answers.clean(questionnaire.get(), actor_type, raw)
    return {p.field: p.message for p in caught.value.problems}


def test_a_complete_set_comes_back_normalised() -> None:
    clean = answers.clean(questionnaire.get(), "associations", {**ASSOCIATION, "ANCIENNETE": " 4 "})
    assert clean["ANCIENNETE"] == 4
    assert clean["IMPACTS.engagement"] == "fort"


def test_every_problem_is_named_and_the_good_answers_are_kept() -> None:
    raw = {
        **ASSOCIATION,
        "PARTENARIATS": "des-tas",
        "INCONNUE": "x",
        "COL_PROJET": "oui",
        "ANCIENNETE": 400,
        "DOMAINES": ["sante", "emploi", "education", "culture-loisirs"],
        "IMPACTS.engagement": "enorme",
    }
    del raw["STRATEGIE"]
    with translation.override("fr"):
        problems = _problems(raw)
    assert problems == {
        "PARTENARIATS": "réponse inconnue 'des-tas' (possibles : aucune, une, 2-5, plus-5)",
        "INCONNUE": "question inconnue 'INCONNUE'",
        "COL_PROJET": "question non posée à ce type d'acteur",
        "ANCIENNETE": "un nombre de 0 à 100 est attendu",
        "DOMAINES": "3 choix au plus",
        "IMPACTS.engagement": "réponse inconnue 'enorme' "
        "(possibles : tres-fort, fort, modere, faible, aucun)",
        "STRATEGIE": "réponse obligatoire",
    }  # fmt: skip
    with pytest.raises(answers.AnswersInvalid) as caught:
        answers.clean(questionnaire.get(), "associations", raw)
    assert caught.value.clean["MESURE"] == "realisations"  # the rest is kept


def test_messages_in_english_for_the_api() -> None:
    with translation.override("en"):
        problems = _problems({**ASSOCIATION, "NOPE": 1, "MESURE": ["a"]})
    assert problems["NOPE"] == "unknown question 'NOPE'"
    assert problems["MESURE"] == "a string is expected"


@pytest.mark.parametrize(
    ("value", "field"),
    [("a\x00b", "MESURE"), ("x" * 101, "MESURE"), (True, "ANCIENNETE"), ("12a", "ANCIENNETE")],
)
def test_hostile_values_are_refused(value: Any, field: str) -> None:
    assert field in _problems({**ASSOCIATION, field: value})


def test_communes_by_code_former_code_or_unambiguous_name() -> None:
    assert answers.clean_commune("94018").name == "Charenton-le-Pont"
    assert answers.clean_commune("75101").code == "75056"  # an arrondissement: its city
    assert answers.clean_commune("Charenton-le-Pont", by_name=True).code == "94018"
    with pytest.raises(InputError, match="code INSEE"):
        answers.clean_commune("Saint-Denis", by_name=True)
    with pytest.raises(InputError, match="commune inconnue '99999'"):
        answers.clean_commune("99999")
    with pytest.raises(InputError, match="commune inconnue"):
        answers.clean_commune("Charenton-le-Pont")  # names only where a visitor types them


def test_actor_types_outside_the_questionnaire_are_refused() -> None:
    with pytest.raises(InputError, match="etat"):
        answers.clean_actor_type(questionnaire.get(), "etat")
