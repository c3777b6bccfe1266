"""The diagnostic's routes of the platform API: the questionnaire of an actor type, and the result
of a set of answers, computed and returned without storing anything.

Texts come in French and English (`{"fr", "en"}`); the reasons and recommendations of a result
follow `language`. Bad input (unknown actor type, commune, question or answer, a missing required
answer) answers 422 with a sentence naming each problem.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from observatoire.platform.diagnostic import answers, questionnaire, report
from observatoire.platform.diagnostic.questionnaire import Question, Questionnaire, Text
from observatoire.platform.diagnostic.recommendations import Recommendation

router = Router(tags=["diagnostic"])

Code = Annotated[str, Field(max_length=100)]
Number = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
AnswerValue = Code | Annotated[list[Code], Field(max_length=20)] | Number


class TextOut(Schema):
    fr: str
    en: str


class ChoiceOut(Schema):
    code: str
    label: TextOut
    points: int = Field(description="points given to `subtopic` when chosen")
    subtopic: str | None


class ItemOut(Schema):
    code: str
    label: TextOut


class SameAsOut(Schema):
    study: str
    question: str


class QuestionOut(Schema):
    code: str
    kind: Literal["actor_type", "commune", "single", "multiple", "number", "grid"]
    label: TextOut
    help: TextOut | None
    required: bool
    answer_keys: list[str] = Field(description="the keys of `answers` (CODE.item for a grid)")
    subtopic: str | None
    choices: list[ChoiceOut]
    items: list[ItemOut]
    max_choices: int | None
    min: int | None
    max: int | None
    same_as: list[SameAsOut] = Field(description="study questions with the same wording and scale")


class ModuleOut(Schema):
    code: str
    title: TextOut
    questions: list[QuestionOut]


class SubtopicOut(Schema):
    code: str
    label: TextOut
    objective: str


class QuestionnaireOut(Schema):
    questionnaire: str
    version: int
    title: TextOut
    actor_type: str
    estimated_minutes: float
    modules: list[ModuleOut]
    subtopics: list[SubtopicOut]


class QuestionnaireQuery(Schema):
    actor_type: str = Field(max_length=20, description="an actor type code")


def _text(text: Text | None) -> dict[str, str] | None:
    return {"fr": text.fr, "en": text.en or text.fr} if text else None


def _question(q: Question) -> dict[str, Any]:
    return {
        "code": q.code,
        "kind": q.kind,
        "label": _text(q.label),
        "help": _text(q.help),
        "required": q.required,
        "answer_keys": list(q.answer_codes) if q.kind not in ("actor_type", "commune") else [],
        "subtopic": q.subtopic,
        "choices": [
            {
                "code": c.code,
                "label": _text(c.label),
                "points": c.points,
                "subtopic": c.subtopic or q.subtopic if c.points else None,
            }
            for c in q.choices
        ],
        "items": [{"code": i.code, "label": _text(i.label)} for i in q.items],
        "max_choices": q.max_choices,
        "min": q.min,
        "max": q.max,
        "same_as": [{"study": r.study, "question": r.question} for r in q.same_as],
    }


def _questionnaire(qn: Questionnaire, actor_type: str) -> dict[str, Any]:
    return {
        "questionnaire": qn.code,
        "version": qn.version,
        "title": _text(qn.title),
        "actor_type": actor_type,
        "estimated_minutes": round(qn.estimated_seconds(actor_type) / 60, 1),
        "modules": [
            {
                "code": m.code,
                "title": _text(m.title),
                "questions": [_question(q) for q in m.questions_for(actor_type)],
            }
            for m in qn.modules_for(actor_type)
        ],
        "subtopics": [
            {"code": s.code, "label": _text(s.label), "objective": s.objective}
            for s in qn.subtopics
        ],
    }


@router.get("/diagnostic/questionnaire", response=QuestionnaireOut)
def get_questionnaire(request: HttpRequest, query: Query[QuestionnaireQuery]) -> Any:
    """The questions an actor type answers, page by page, with the scoring points of each
    choice (the latest version of the questionnaire)."""
    qn = questionnaire.get()
    with translation.override("en"):
        actor_type = answers.clean_actor_type(qn, query.actor_type)
    return _questionnaire(qn, actor_type)


class ResultIn(Schema):
    actor_type: str = Field(max_length=20, description="an actor type code")
    commune: str = Field(max_length=5, description="INSEE code of the commune")
    answers: dict[Annotated[str, Field(max_length=60)], AnswerValue] = Field(
        max_length=200,
        description="{question_code: choice_code | [choice_codes] | number}; grid items as "
        "CODE.item",
    )
    language: Literal["fr", "en"] = "fr"


class FigureOut(Schema):
    study: str
    wave: str
    population: str = Field(description="actor type code of the surveyed population")
    territory: str = Field(description='"FR" or the study region code')
    share: float | None = Field(description="share giving the same answer; null when withheld")
    ci_low: float | None
    ci_high: float | None
    base: int = Field(description="respondents who answered (unweighted)")
    small_base: bool
    synthetic: bool


class PeerOut(Schema):
    answer_key: str
    question: TextOut
    item: TextOut | None
    answer: TextOut
    figures: list[FigureOut]


class RecommendationOut(Schema):
    title: str
    url: str
    summary: str
    why: list[str]
    fictitious: bool


class RecommendationsOut(Schema):
    alliances: list[RecommendationOut]
    structures: list[RecommendationOut]
    zone_blanche: bool = Field(description="no local structure meets the need")
    general_doors: bool = Field(
        description="no structure meets the needs: `structures` are the profile's general doors"
    )
    readings: list[RecommendationOut]


class ResultOut(Schema):
    questionnaire: str
    version: int
    actor_type: str
    commune: str
    scores: dict[str, int] = Field(description="objective code -> 0..100 (no overall score)")
    subtopic_scores: dict[str, int]
    floor: int = Field(ge=0, le=4)
    door: str = Field(description="objective code of the recommended entry door")
    reasons: list[str]
    innovation_stage: str | None
    season: int | None
    peers: list[PeerOut]
    recommendations: RecommendationsOut
    notices: list[str]


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {"title": r.title, "url": r.url, "summary": r.summary, "why": list(r.why),
            "fictitious": r.fictitious}  # fmt: skip


@router.post("/diagnostic/results", response=ResultOut)
def post_results(request: HttpRequest, payload: ResultIn) -> Any:
    """Score a complete set of answers: nothing is stored, nothing is counted."""
    qn = questionnaire.get()
    with translation.override("en"):
        actor_type = answers.clean_actor_type(qn, payload.actor_type)
        commune = answers.clean_commune(payload.commune)
        clean = answers.clean(qn, actor_type, payload.answers)
    with translation.override(payload.language):
        found = report.build(qn, actor_type, commune.code, clean, payload.language)
    result = found.result
    return {
        "questionnaire": qn.code,
        "version": qn.version,
        "actor_type": actor_type,
        "commune": commune.code,
        "scores": result.scores,
        "subtopic_scores": result.subtopic_scores,
        "floor": result.floor,
        "door": result.door,
        "reasons": result.reason_texts(qn, payload.language),
        "innovation_stage": result.stage,
        "season": result.season,
        "peers": [
            {
                "answer_key": c.key,
                "question": _text(c.question),
                "item": _text(c.item),
                "answer": _text(c.answer),
                "figures": [vars(f) for f in c.figures],
            }
            for c in found.peers
        ],
        "recommendations": {
            "alliances": [_recommendation(r) for r in found.alliances],
            "structures": [_recommendation(r) for r in found.structures],
            "zone_blanche": found.zone_blanche,
            "general_doors": found.general_doors,
            "readings": [_recommendation(r) for r in found.readings],
        },
        "notices": found.notices(),
    }
