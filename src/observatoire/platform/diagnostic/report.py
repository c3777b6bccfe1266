"""The whole answer to a diagnostic, as the result page, the PDF and the API give it: the result
(scores, floor, door, reasons), the respondent beside their peers, and what to look at next."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire import territory
from observatoire.platform.diagnostic import peers, recommendations, scoring
from observatoire.platform.diagnostic.questionnaire import Questionnaire
from observatoire.platform.diagnostic.recommendations import Recommendation
from observatoire.platform.diagnostic.scoring import Answers


@dataclass(frozen=True)
class Report:
    questionnaire: Questionnaire
    actor_type: str
    commune: territory.Territory
    result: scoring.Result
    peers: list[peers.Comparison]
    alliances: list[Recommendation]
    structures: list[Recommendation]
    zone_blanche: bool  # no local structure meets the need: only national networks are listed
    general_doors: bool  # no structure meets the needs: the profile's general doors instead
    readings: list[Recommendation]

    def notices(self) -> list[str]:
        """What the reader must be told about the data shown (synthetic studies)."""
        return list(peers.notices(self.peers).values())


def build(
    qn: Questionnaire, actor_type: str, commune: str, answers: Answers, language: str = "fr"
) -> Report:
    """The report of a complete, validated set of answers (`answers.clean`)."""
    result = scoring.score(qn, actor_type, answers)
    place = territory.get(commune, "commune")
    profile = profile_of(qn, actor_type, place, answers, result, language)
    doors = recommendations.orientation(profile)
    general = not doors.suggestions and bool(profile.needs)
    listed = recommendations.orientation(profile, needs=False) if general else doors
    return Report(
        questionnaire=qn,
        actor_type=actor_type,
        commune=profile.commune,
        result=result,
        peers=peers.compare(qn, actor_type, commune, answers),
        alliances=recommendations.alliances(profile),
        structures=recommendations.structures(listed),
        zone_blanche=doors.zone_blanche,
        general_doors=general and bool(listed.suggestions),
        readings=recommendations.readings(profile),
    )


def profile_of(
    qn: Questionnaire,
    actor_type: str,
    commune: territory.Territory,
    answers: Answers,
    result: scoring.Result,
    language: str = "fr",
) -> recommendations.Profile:
    """What the recommendations read of a respondent: the profile questions, needs, door."""

    def codes(part: str) -> tuple[str, ...]:
        value = answers.get(qn.profile[part])
        return tuple(value) if isinstance(value, list) else ()

    def code(part: str) -> str:
        value = answers.get(qn.profile[part])
        return value if isinstance(value, str) else ""

    return recommendations.Profile(
        actor_type=actor_type,
        commune=commune,
        door=result.door,
        fragilities=codes("fragilities"),
        stage=result.stage,
        needs=codes("needs"),
        employment=code("employment"),
        size=code("size"),
        language=language,
    )
