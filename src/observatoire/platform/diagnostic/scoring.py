"""From clean answers to the result: scores per objective, floor, entry door and its reasons.

Every rule is data in the questionnaire file (`scoring`); this module only applies them, in
exact fractions so that hand-worked examples (docs/diagnostic.md) give the same integers:
- a subtopic scores points earned / points possible over the questions asked to the actor type;
- an objective scores the mean of its subtopics × 100, rounded half up; no overall score;
- the floor reached is the highest floor whose objective scores at least the threshold, and 0
  without the signal it requires (a partnership);
- the door is the wished, reachable objective where the respondent is most ready.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from observatoire import vocabularies
from observatoire.platform.diagnostic.questionnaire import Question, Questionnaire

Answer = str | list[str] | int
Answers = Mapping[str, Answer]


@dataclass(frozen=True)
class Reason:
    """One sentence of the questionnaire's `reasons`, with the values of its placeholders.

    `door` and `wish` hold objective codes and `subtopic` a subtopic code: they are turned into
    labels in the reader's language when the sentence is rendered.
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def render(self, qn: Questionnaire, language: str = "fr") -> str:
        values = dict(self.values)
        for name in ("door", "wish"):
            if name in values:
                values[name] = vocabularies.OBJECTIVES[values[name]].label(language)
        if "subtopic" in values:
            values["subtopic"] = qn.subtopic(values["subtopic"]).label.get(language)
        return qn.rules.reasons[self.key].get(language).format(**values)


@dataclass(frozen=True)
class Result:
    scores: dict[str, int]  # objective -> 0..100
    subtopic_scores: dict[str, int]  # subtopic -> 0..100, only those asked to the actor type
    floor: int  # 0..4
    door: str  # objective code
    reasons: tuple[Reason, ...]
    stage: str | None  # innovation stage, when the stage question was answered with one
    season: int | None  # 1..4, seasons of seven years since the first partnership
    signals: frozenset[str]

    def reason_texts(self, qn: Questionnaire, language: str = "fr") -> list[str]:
        return [r.render(qn, language) for r in self.reasons]

    def as_data(self) -> dict[str, Any]:
        """Plain data kept with a completed diagnostic (to compare a later re-run with)."""
        return {
            "scores": self.scores,
            "subtopic_scores": self.subtopic_scores,
            "floor": self.floor,
            "door": self.door,
            "stage": self.stage,
            "season": self.season,
        }


def _half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2))


def signals_of(qn: Questionnaire, actor_type: str, answers: Answers) -> frozenset[str]:
    """The signals emitted by the chosen answers."""
    found: set[str] = {f"acteur-{actor_type}"}
    for q in qn.answer_questions(actor_type):
        for choice in _chosen(q, answers.get(q.code)):
            found.update(choice.signals)
    return frozenset(found)


def _chosen(q: Question, answer: Answer | None) -> list[Any]:
    if q.kind == "single" and isinstance(answer, str):
        return [c for c in q.choices if c.code == answer]
    if q.kind == "multiple" and isinstance(answer, list):
        return [c for c in q.choices if c.code in answer]
    return []


def _earned(q: Question, answer: Answer | None) -> dict[str, int]:
    if q.kind == "number":
        if not isinstance(answer, int) or q.subtopic is None:
            return {}
        band = next((b for b in q.bands if b.min <= answer <= b.max), None)
        return {q.subtopic: band.points} if band else {}
    totals: dict[str, int] = {}
    for c in _chosen(q, answer):
        target = c.subtopic or q.subtopic
        if target is not None and c.points:
            totals[target] = totals.get(target, 0) + c.points
    if q.cap is not None:
        totals = {k: min(v, q.cap) for k, v in totals.items()}
    return totals


def subtopic_fractions(qn: Questionnaire, actor_type: str, answers: Answers) -> dict[str, Fraction]:
    """Points earned over points possible, per subtopic asked to this actor type."""
    earned: dict[str, int] = {}
    possible: dict[str, int] = {}
    for q in qn.answer_questions(actor_type):
        for target, points in q.points_possible().items():
            possible[target] = possible.get(target, 0) + points
        for target, points in _earned(q, answers.get(q.code)).items():
            earned[target] = earned.get(target, 0) + points
    return {
        s.code: Fraction(earned.get(s.code, 0), possible[s.code])
        for s in qn.subtopics
        if possible.get(s.code)
    }


def score(qn: Questionnaire, actor_type: str, answers: Answers) -> Result:
    """The result of a complete, validated set of answers (see `answers.clean`)."""
    fractions = subtopic_fractions(qn, actor_type, answers)
    exact: dict[str, Fraction] = {}
    for objective in qn.objectives:
        parts = [f for code, f in fractions.items() if qn.subtopic(code).objective == objective]
        exact[objective] = sum(parts, Fraction(0)) / len(parts) * 100
    scores = {objective: _half_up(value) for objective, value in exact.items()}
    signals = signals_of(qn, actor_type, answers)
    floor = _floor(qn, scores, signals)
    door, reasons = _door(qn, scores, floor, signals, answers)
    reasons += _footholds(qn, door, fractions)
    return Result(
        scores=scores,
        subtopic_scores={code: _half_up(f * 100) for code, f in fractions.items()},
        floor=floor,
        door=door,
        reasons=tuple(reasons),
        stage=_stage(qn, answers),
        season=_season(qn, answers),
        signals=signals,
    )


def _floor(qn: Questionnaire, scores: Mapping[str, int], signals: frozenset[str]) -> int:
    rules = qn.rules
    if rules.floor_requires_signal and rules.floor_requires_signal not in signals:
        return 0
    reached = [qn.floor_of(o) for o, s in scores.items() if s >= rules.floor_threshold]
    return max(reached, default=0)


def _door(
    qn: Questionnaire,
    scores: Mapping[str, int],
    floor: int,
    signals: frozenset[str],
    answers: Answers,
) -> tuple[str, list[Reason]]:
    rules = qn.rules
    limited = rules.limited_means_signal is not None and rules.limited_means_signal in signals
    blocked = {g.objective: g.reason for g in rules.guards if g.requires_signal not in signals}

    def within_reach(objective: str) -> bool:
        k = qn.floor_of(objective)
        started = not limited and scores[objective] >= rules.started_threshold
        return k <= floor + rules.above_floor or started

    def reachable(objective: str) -> bool:
        return objective not in blocked and within_reach(objective)

    wish_answer = answers.get(rules.wish_question)
    wishes = [
        c.wish
        for c in qn.question(rules.wish_question).choices
        if isinstance(wish_answer, list) and c.code in wish_answer and c.wish
    ]
    weight = Fraction(rules.readiness_weight).limit_denominator(1000)

    def value(objective: str) -> tuple[Fraction, int]:
        readiness = Fraction(scores[objective], 100)
        return (1 - weight + weight * readiness, -qn.floor_of(objective))

    candidates = [w for w in wishes if reachable(w)]
    if candidates:
        door = max(candidates, key=value)
    else:
        # Nothing wished is within reach (or nothing wished): the reachable floor on the way up
        # to the lowest wish, or to the next floor.
        target = (
            min(wishes, key=qn.floor_of)
            if wishes
            else qn.objectives[min(floor + 1, len(qn.objectives)) - 1]
        )
        door = [o for o in qn.objectives[: qn.floor_of(target)] if reachable(o)][-1]
    door_floor = qn.floor_of(door)

    chosen: list[Reason] = []  # why this door rather than another
    if candidates:
        chosen.append(Reason("wish", {"door": door}))
        if len(candidates) > 1:
            chosen.append(Reason("readiest", {"score": scores[door]}))
    elif not wishes:
        chosen.append(Reason("no-wish", {"door_floor": door_floor}))
        if target in blocked:
            chosen.append(Reason(blocked[target]))
    out_of_reach = sorted((w for w in wishes if w not in candidates), key=qn.floor_of)
    if out_of_reach:
        wish = out_of_reach[0]
        if wish in blocked:
            chosen.append(Reason(blocked[wish]))
        elif door_floor < qn.floor_of(wish):
            values = {"wish": wish, "wish_floor": qn.floor_of(wish), "door_floor": door_floor}
            chosen.append(Reason("unreachable", values))
            if limited and scores[wish] >= rules.started_threshold:
                chosen.append(Reason("limited-means"))
    if floor == 0 and door_floor == 1:
        chosen.append(Reason("first-door"))
    elif floor >= 1 and door_floor == floor + 1:
        chosen.append(Reason("next-floor", {"floor": floor, "door_floor": door_floor}))
    elif floor == door_floor == len(qn.objectives):
        chosen.append(Reason("top-floor"))
    elif door_floor > floor + rules.above_floor:
        chosen.append(Reason("already-started", {"score": scores[door]}))
    return door, chosen


def _footholds(qn: Questionnaire, door: str, fractions: Mapping[str, Fraction]) -> list[Reason]:
    """The door's strongest subtopic (if at least half its points) and its weakest one."""
    own = [(f, code) for code, f in fractions.items() if qn.subtopic(code).objective == door]
    strongest = max(own, key=lambda pair: pair[0])
    weakest = min(own, key=lambda pair: pair[0])
    out = []
    said = strongest[0] >= Fraction(1, 2)
    if said:
        out.append(Reason("strength", _subtopic_values(*strongest)))
    if weakest[0] < 1 and not (said and weakest[1] == strongest[1]):
        out.append(Reason("to-work", _subtopic_values(*weakest)))
    return out


def _subtopic_values(fraction: Fraction, code: str) -> dict[str, Any]:
    return {"subtopic": code, "subtopic_score": _half_up(fraction * 100)}


def _stage(qn: Questionnaire, answers: Answers) -> str | None:
    answer = answers.get(qn.rules.stage_question)
    choice = (
        qn.question(qn.rules.stage_question).choice(answer) if isinstance(answer, str) else None
    )
    return choice.stage if choice else None


def _season(qn: Questionnaire, answers: Answers) -> int | None:
    years = answers.get(qn.rules.season_question)
    if not isinstance(years, int) or years <= 0:
        return None
    return min(qn.rules.season_count, 1 + (years - 1) // qn.rules.season_years)
