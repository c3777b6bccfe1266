"""The result as the page and the PDF show it: scores, floors, door and reasons, peers,
recommendations and the comparison with the previous run, formatted for one language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format

from observatoire import vocabularies
from observatoire.platform.diagnostic import answers, peers, records, report
from observatoire.platform.diagnostic.models import Diagnostic
from observatoire.platform.diagnostic.questionnaire import Questionnaire
from observatoire.platform.diagnostic.scoring import Result
from observatoire.results_contract import formats


@dataclass(frozen=True)
class ObjectiveView:
    floor: int
    code: str
    label: str
    score: int
    is_door: bool
    reached: bool  # scores at least the floor threshold
    subtopics: list[tuple[str, int]]
    previous: int | None = None

    @property
    def change(self) -> str:
        if self.previous is None:
            return ""
        delta = self.score - self.previous
        return f"{'+' if delta > 0 else '−' if delta < 0 else '±'}{abs(delta)}"


def objective_views(
    qn: Questionnaire, result: Result, language: str, previous: dict[str, Any] | None = None
) -> list[ObjectiveView]:
    before = (previous or {}).get("scores", {})
    return [
        ObjectiveView(
            floor=qn.floor_of(code),
            code=code,
            label=vocabularies.OBJECTIVES[code].label(language),
            score=result.scores[code],
            is_door=code == result.door,
            reached=result.scores[code] >= qn.rules.floor_threshold,
            subtopics=[
                (s.label.get(language), result.subtopic_scores[s.code])
                for s in qn.subtopics
                if s.objective == code and s.code in result.subtopic_scores
            ],
            previous=before.get(code) if previous else None,
        )
        for code in qn.objectives
    ]


def _peer_rows(comparisons: list[peers.Comparison], language: str) -> list[dict[str, Any]]:
    def percent(value: float | None) -> str:
        return formats.percent(value, language=language)

    rows = []
    for comparison in comparisons:
        figures = []
        for f in comparison.figures:
            interval = (
                f"{percent(f.ci_low)} – {percent(f.ci_high)}"
                if f.ci_low is not None and f.ci_high is not None
                else ""
            )
            figures.append(
                {
                    "who": f.population_label(language),
                    "where": f.territory_label(language),
                    "source": f"{f.study_title} {f.wave}",
                    "share": percent(f.share) if f.share is not None else "",
                    "interval": interval,
                    "base": f.base,
                    "base_text": formats.count(f.base, language=language),
                    "small_base": f.small_base,
                    "withheld": f.share is None,
                }
            )
        rows.append(
            {
                "question": comparison.question.get(language),
                "item": comparison.item.get(language) if comparison.item else "",
                "answer": comparison.answer.get(language),
                "figures": figures,
            }
        )
    return rows


def result_context(
    request: HttpRequest, diagnostic: Diagnostic, key: str, language: str
) -> dict[str, Any]:
    qn = records.questionnaire_of(diagnostic)
    clean = answers.clean(qn, diagnostic.actor_type, diagnostic.answers)
    found = report.build(qn, diagnostic.actor_type, diagnostic.commune, clean, language)
    result, commune = found.result, found.commune
    previous = diagnostic.previous
    before = previous.result if previous is not None and previous.result else None
    result_url = reverse("diagnostic:result", kwargs={"key": key})
    return {
        "key": key,
        "qn": qn,
        "title": qn.title.get(language),
        "result": result,
        "objectives": objective_views(qn, result, language, before),
        "door_label": vocabularies.OBJECTIVES[result.door].label(language),
        "door_floor": qn.floor_of(result.door),
        "reasons": result.reason_texts(qn, language),
        "stage": vocabularies.INNOVATION_STAGES[result.stage].label(language)
        if result.stage
        else "",
        "season": result.season,
        "threshold": int(qn.rules.floor_threshold),
        "actor_type": vocabularies.ACTOR_TYPES[diagnostic.actor_type].label(language),
        "commune": commune,
        "peers": _peer_rows(found.peers, language),
        "peer_notices": found.notices(),
        "fiches": found.alliances,
        "structures": found.structures,
        "zone_blanche": found.zone_blanche,
        "general_doors": found.general_doors,
        "readings": found.readings,
        "previous": before,
        "previous_date": date_format(previous.completed_on)
        if previous and previous.completed_on
        else "",
        "previous_door": vocabularies.OBJECTIVES[before["door"]].label(language) if before else "",
        "link": request.build_absolute_uri(result_url),
        "completed_on": date_format(diagnostic.completed_on) if diagnostic.completed_on else "",
        "version": qn.version,
        "same_version": before is None
        or previous is None
        or previous.version == diagnostic.version,
    }
