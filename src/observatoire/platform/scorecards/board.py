"""The four-perspective board of a scorecard, as plain data for the page and the API.

Kaplan–Norton's scorecard adapted to alliances (next_capabilities §3.3): common stakes at the
top, then the impacts, the alliance's processes and, at the base, the assets of the partners.
Each perspective lists its indicators with their status against their targets.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from observatoire import vocabularies as v
from observatoire.platform.alliances import places
from observatoire.platform.scorecards import access, catalogue, status
from observatoire.platform.scorecards.models import (
    Asset,
    Indicator,
    Measurement,
    Pathway,
    Scorecard,
    Stake,
)


def label(vocabulary: v.Vocabulary, code: str, language: str) -> str:
    return vocabulary[code].label(language) if code in vocabulary else code


@dataclass
class IndicatorLine:
    indicator: Indicator
    status: status.Status
    measurements: list[Measurement]
    level: str
    unit: str


@dataclass
class PillarAssets:
    code: str
    label: str
    assets: list[Asset]
    value_eur: Decimal | None  # sum of the € valuations given
    unvalued: int  # assets without a € valuation, left out of the sum


@dataclass
class CommonCoreLine:
    code: str
    label: str
    state: str  # "suivi", "non-suivi", "a-decider"
    reason: str = ""


@dataclass
class Board:
    scorecard: Scorecard
    perspectives: dict[str, list[IndicatorLine]]
    stakes: list[tuple[Stake, str]]  # with the territory's name
    impacts: list[tuple[str, int]]  # expected impact, number of pathways expecting it
    objectives: list[tuple[str, int]]  # objective, number of pathways through it
    partners_by_type: list[tuple[str, int]]
    pillars: list[PillarAssets]
    pathways: list[Pathway]
    common_core: list[CommonCoreLine] = field(default_factory=list)

    def lines(self) -> list[IndicatorLine]:
        return [line for lines in self.perspectives.values() for line in lines]


def build(scorecard: Scorecard, user: Any, language: str = "fr") -> Board:
    """The board as `user` may see it (private indicators only for partners and curators)."""
    indicators = list(access.visible_indicators(user, scorecard))
    by_indicator: dict[int, list[Measurement]] = defaultdict(list)
    for m in Measurement.objects.filter(indicator__in=indicators).order_by("date"):
        by_indicator[m.indicator_id].append(m)
    perspectives: dict[str, list[IndicatorLine]] = {
        code: [] for code in v.SCORECARD_PERSPECTIVES.codes
    }
    for indicator in indicators:
        rows = by_indicator[indicator.pk]
        perspectives[indicator.perspective].append(
            IndicatorLine(
                indicator,
                status.assess(indicator, rows),
                rows,
                label(v.INDICATOR_LEVELS, indicator.level, language),
                label(v.UNITS, indicator.unit, language),
            )
        )
    assets = list(scorecard.assets.select_related("partner"))
    pathways = list(scorecard.pathways.select_related("asset", "stake"))
    pillars = []
    for pillar in v.PILLARS:
        own = [a for a in assets if a.pillar == pillar.code]
        valued = [a.value_eur for a in own if a.value_eur is not None]
        pillars.append(
            PillarAssets(
                pillar.code,
                pillar.label(language),
                own,
                sum(valued, Decimal(0)) if valued else None,
                len(own) - len(valued),
            )
        )
    impacts = Counter(code for p in pathways for code in p.expected_impacts)
    objectives = Counter(p.objective for p in pathways)
    types = Counter(scorecard.alliance.partners.values_list("actor_type", flat=True))
    common = {i.code: i for i in indicators if i.is_common}
    return Board(
        scorecard=scorecard,
        perspectives=perspectives,
        stakes=[(s, places.name(s.territory)) for s in scorecard.stakes.all()],
        impacts=[(t.label(language), impacts[t.code]) for t in v.IMPACTS],
        objectives=[
            (t.label(language), objectives[t.code]) for t in v.OBJECTIVES if objectives[t.code]
        ],
        partners_by_type=[
            (t.label(language), types[t.code]) for t in v.ACTOR_TYPES if types[t.code]
        ],
        pillars=pillars,
        pathways=pathways,
        common_core=[
            CommonCoreLine(
                c.code,
                v.COMMON_INDICATORS[c.code].label(language),
                ("non-suivi" if not common[c.code].tracked else "suivi")
                if c.code in common
                else "a-decider",
                common[c.code].skipped_reason if c.code in common else "",
            )
            for c in catalogue.COMMON_CORE
        ],
    )
