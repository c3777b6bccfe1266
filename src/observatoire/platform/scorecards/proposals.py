"""Stakes proposed to an alliance from the published results: its region's top fragilities.

The survey asks citizens to rate each territorial fragility from 1 to 10; the study publishes
each region's mean rating with its confidence interval and base. An alliance's common stakes
start from the fragilities its region's citizens rate highest ("la moyenne n'existe pas": the
region, not France). Only published aggregates are read (the results app), never microdata.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.results import published
from observatoire.platform.results.published import PublishedStudy
from observatoire.results_contract import NATIONAL, Flag, Indicator, Row
from observatoire.territory.study_regions import study_region_of

CITIZENS = "citoyens"  # the population whose ratings of their territory's fragilities count


@dataclass(frozen=True)
class Proposal:
    fragility: str
    label: str
    territory: str  # the fiche's territory the stake is about
    evidence: dict[str, Any]  # what the results say, stored with the stake if it is adopted


def study_region(alliance: Alliance) -> str | None:
    """The study region of the alliance's first territory inside one, or None (national)."""
    for ref in alliance.territories:
        try:
            region = places.place(ref).region
            if region:
                return study_region_of(region)
        except InputError:
            continue
    return None


def fragility_means(study: PublishedStudy, area: str) -> list[Row]:
    """Citizens' mean fragility ratings of `area` in the latest wave, highest first (suppressed
    figures left out): the rows of the first grid whose items are fragilities."""
    codes = set(vocabularies.FRAGILITIES.codes)
    if CITIZENS not in study.results.populations:
        return []
    grids: dict[str, list[Row]] = {}
    for row in study.results.rows([Indicator.MEAN], territory=area, population=CITIZENS):
        grid = str(row["question"]).partition(".")[0]
        grids.setdefault(grid, []).append(row)
    for rows in grids.values():
        items = {str(r["question"]).partition(".")[2] for r in rows}
        if len(items) >= 3 and items <= codes:
            shown = [r for r in rows if r["flag"] != Flag.SUPPRESSED and r["estimate"] is not None]
            return sorted(shown, key=lambda r: -r["estimate"])
    return []


def propose(alliance: Alliance, limit: int = 3) -> list[Proposal]:
    """The `limit` fragilities rated highest in the alliance's region (France if it has none)
    by the latest published study that rates them; fragilities already adopted are skipped."""
    taken = set(
        alliance.scorecard.stakes.values_list("fragility", flat=True)
        if hasattr(alliance, "scorecard")
        else []
    )
    area = study_region(alliance) or NATIONAL
    for study in published.studies():
        means = fragility_means(study, area)
        if not means:
            continue
        area_name = "France" if area == NATIONAL else territory.study_region_name(area)
        proposals = []
        for rank, row in enumerate(means, start=1):
            fragility = str(row["question"]).partition(".")[2]
            if fragility in taken:
                continue
            evidence = {
                "study": study.code,
                "study_title": study.title,
                "wave": study.latest_wave,
                "area": area,
                "area_name": area_name,
                "rank": rank,
                "of": len(means),
                "mean": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "n": row["n"],
                "small_base": row["flag"] == Flag.SMALL_BASE,
                "synthetic": bool(study.meta.get("synthetic")),
                "notice": str(study.meta.get("notice") or ""),
            }
            label = vocabularies.FRAGILITIES[fragility].fr
            proposals.append(Proposal(fragility, label, alliance.territories[0], evidence))
            if len(proposals) == limit:
                break
        return proposals
    return []
