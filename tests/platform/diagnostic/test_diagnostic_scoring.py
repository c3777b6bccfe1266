"""Scoring: the hand-worked examples of docs/diagnostic.md, and the rules on any answers."""

from __future__ import annotations

import random
from typing import Any

import pytest
from diagnostic_examples import ACTOR_TYPE, EXAMPLES

from observatoire.platform.diagnostic import answers, questionnaire, scoring
from observatoire.platform.diagnostic.questionnaire import Question, Questionnaire

CHOICE_REASONS = ("wish", "no-wish", "unreachable", "pas-de-partenariat-territoire")


def _result(actor_type: str, raw: dict[str, Any]) -> scoring.Result:
    qn = questionnaire.get()
    return scoring.score(qn, actor_type, answers.clean(qn, actor_type, raw))


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_hand_worked_examples(name: str) -> None:
    raw, expected = EXAMPLES[name]
    result = _result(ACTOR_TYPE[name], raw)
    assert result.scores == expected["scores"]
    assert (result.floor, result.door) == (expected["floor"], expected["door"])
    assert (result.stage, result.season) == (expected["stage"], expected["season"])
    assert [r.key for r in result.reasons] == expected["reasons"]


def test_subtopics_are_equally_weighted_whatever_their_number_of_questions() -> None:
    """The association's first objective: 4/6, 2/3, 1/3 and 3/7 averaged, not pooled."""
    raw, _ = EXAMPLES["associations"]
    result = _result("associations", raw)
    subtopics = result.subtopic_scores
    assert [subtopics[s] for s in ("pratique", "coherence", "engagement", "mesure")] == [
        67, 67, 33, 43,
    ]  # fmt: skip
    pooled = round((4 + 2 + 1 + 3) / (6 + 3 + 3 + 7) * 100)
    assert result.scores["performance-engagement"] == 52 != pooled


def test_reasons_read_in_plain_words_in_both_languages() -> None:
    qn = questionnaire.get()
    raw, _ = EXAMPLES["associations"]
    result = _result("associations", raw)
    french = result.reason_texts(qn, "fr")
    assert french[0].startswith("Vous avez choisi « Équilibrer et hybrider")
    assert "cible inatteignable" in french[1]
    english = result.reason_texts(qn, "en")
    assert english[0].startswith('You chose "Balance and hybridise')
    assert not any("{" in text for text in french + english)


def _random_answers(qn: Questionnaire, actor_type: str, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in qn.answer_questions(actor_type):
        for key in q.answer_codes:
            out[key] = _random_value(q, rng)
    return out


def _random_value(q: Question, rng: random.Random) -> Any:
    codes = [c.code for c in q.choices]
    if q.kind == "number":
        return rng.randint(q.min or 0, q.max or 0)
    if q.kind == "multiple":
        return rng.sample(codes, rng.randint(0, q.max_choices or len(codes)))
    return rng.choice(codes)


@pytest.mark.parametrize("actor_type", questionnaire.get().actor_types)
def test_any_complete_answers_give_four_scores_a_floor_and_a_door(actor_type: str) -> None:
    qn = questionnaire.get()
    rng = random.Random(f"diagnostic-{actor_type}")
    for _ in range(300):
        result = _result(actor_type, _random_answers(qn, actor_type, rng))
        assert set(result.scores) == set(qn.objectives)
        assert all(0 <= s <= 100 for s in result.scores.values())
        assert 0 <= result.floor <= 4 and result.door in qn.objectives
        assert result.reasons[0].key in CHOICE_REASONS  # first, why this door
        if "partenariat" not in result.signals:
            assert result.floor == 0
            assert result.door != "co-construction-territoriale"  # "pas de cibles inatteignables"


def test_all_best_answers_score_100_and_all_worst_0() -> None:
    qn = questionnaire.get()
    for actor_type in qn.actor_types:
        best: dict[str, Any] = {}
        worst: dict[str, Any] = {}
        for q in qn.answer_questions(actor_type):
            if q.kind == "number":
                best[q.code], worst[q.code] = q.max, q.min
            elif q.kind == "multiple":
                best[q.code], worst[q.code] = [c.code for c in q.choices][: q.max_choices], []
            else:
                ranked = sorted(q.choices, key=lambda c: c.points)
                for key in q.answer_codes:
                    best[key], worst[key] = ranked[-1].code, ranked[0].code
        assert set(_result(actor_type, best).scores.values()) == {100}, actor_type
        assert set(_result(actor_type, worst).scores.values()) == {0}, actor_type


def test_limited_means_keep_the_door_one_floor_above() -> None:
    raw, _ = EXAMPLES["citoyens"]
    assert _result("citoyens", raw).door == "innovation-societale"  # started, means available
    limited = _result("citoyens", {**raw, "MOYENS": "peu"})
    assert limited.door == "modeles-socio-economiques"
    assert [r.key for r in limited.reasons][:2] == ["unreachable", "limited-means"]
