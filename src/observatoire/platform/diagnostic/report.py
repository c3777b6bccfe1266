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
    fragilities = answers.get("DOMAINES", [])
    profile = recommendations.Profile(
        actor_type=actor_type,
        commune=place,
        door=result.door,
        fragilities=tuple(fragilities) if isinstance(fragilities, list) else (),
        stage=result.stage,
        language=language,
    )
    return Report(
        questionnaire=qn,
        actor_type=actor_type,
        commune=place,
        result=result,
        peers=peers.compare(qn, actor_type, commune, answers),
        alliances=recommendations.alliances(profile),
        structures=[],
        readings=recommendations.readings(profile),
    )
