"""Similar alliances (fiche page) and likely duplicates (contribution and import)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext

from observatoire.platform.alliances import places, workflow
from observatoire.platform.alliances.models import Alliance, FacetValue, State
from observatoire.platform.alliances.search import facets, text
from observatoire.platform.alliances.search.faceted import base_queryset
from observatoire.platform.alliances.validation import FicheData

# Facets whose shared codes make two fiches alike (territory counts through its region).
_SHARED = ("objective", "impact", "fragility", "category", "support", "actor_type", "region")
TITLE_SIMILARITY = 0.8


def similar(alliance: Alliance, limit: int = 4) -> list[Alliance]:
    """Published fiches sharing the most objectives, fragilities, partner types and region."""
    mine = FacetValue.objects.filter(alliance=alliance, facet__in=_SHARED).values_list(
        "facet", "code"
    )
    condition = Q()
    for facet, code in mine:
        condition |= Q(facet=facet, code=code)
    if not condition:
        return []
    ranked = (
        FacetValue.objects.filter(condition, alliance__in=base_queryset())
        .exclude(alliance=alliance)
        .values("alliance_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "alliance_id")[:limit]
    )
    ids = [row["alliance_id"] for row in ranked]
    by_id = Alliance.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


@dataclass(frozen=True)
class Duplicate:
    alliance: Alliance
    reasons: tuple[str, ...]


def _names(names: list[str]) -> set[str]:
    return {" ".join(text.words(n)) for n in names if n.strip()}


def likely_duplicates(
    data: FicheData, viewer: workflow.User | None, exclude_id: int | None = None
) -> list[Duplicate]:
    """Existing fiches (not archived, not synthetic) that look like `data`, among those `viewer`
    may see (published, their own, all for a curator; None: the operator of an import, who sees
    every fiche). Another contributor's draft is never named to someone who cannot open it.

    A fiche is flagged when its title is close (difflib ratio on folded words ≥ 0.8), or when it
    has the same territory and at least one partner in common.
    """
    pool = Alliance.objects.filter(is_synthetic=False).exclude(state=State.ARCHIVED)
    if viewer is not None:
        pool = workflow.POLICY.visible(viewer, pool)
    if exclude_id is not None:
        pool = pool.exclude(pk=exclude_id)
    keys = [places.place(ref).key for ref in data.territories]
    own = FacetValue.objects.filter(facet=facets.OWN_TERRITORY, code__in=keys)
    same_place = set(pool.filter(id__in=own.values("alliance_id")).values_list("id", flat=True))
    folded_title = " ".join(text.words(data.title))
    close_titles: dict[int, float] = {}
    matcher = difflib.SequenceMatcher(b=folded_title, autojunk=False)
    for pk, title in pool.values_list("id", "title").iterator():
        matcher.set_seq1(" ".join(text.words(title)))
        if matcher.real_quick_ratio() >= TITLE_SIMILARITY and matcher.ratio() >= TITLE_SIMILARITY:
            close_titles[pk] = matcher.ratio()
    names = _names([p.name for p in data.partners])
    found = []
    for alliance in pool.filter(id__in=same_place | set(close_titles)).prefetch_related("partners"):
        reasons = []
        if alliance.pk in close_titles:
            reasons.append(
                gettext("titre proche (%(ratio)s)") % {"ratio": f"{close_titles[alliance.pk]:.0%}"}
            )
        if alliance.pk in same_place and names & _names([p.name for p in alliance.partners.all()]):
            reasons.append(gettext("même territoire et partenaire(s) en commun"))
        if reasons:
            found.append(Duplicate(alliance, tuple(reasons)))
    return found
