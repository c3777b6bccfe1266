"""Faceted search over the published base: text, territory (up and down) and multi-select facets.

Semantics, identical on both backends: every meaningful query word must match; codes of one facet
are OR-ed and facets are AND-ed; a territory keeps the fiches located in it and those of every
territory that contains it (its EPT, EPCI, department, region, France). Facet counts of a facet
are computed with every other filter applied but not its own, so that a visitor can widen a
multi-select facet without losing its other choices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from observatoire.errors import InputError
from observatoire.platform.alliances import facets, places, search
from observatoire.platform.alliances.models import Alliance, FacetValue, State

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    territory: str = ""
    page: int = 1
    per_page: int = 20
    include_synthetic: bool = False

    def __post_init__(self) -> None:
        unknown = sorted(set(self.filters) - set(facets.BY_NAME))
        if unknown:
            raise InputError(f"unknown facet(s): {', '.join(unknown)}", field=unknown[0])
        if self.page < 1:
            raise InputError("must be 1 or more", field="page")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InputError(f"must be between 1 and {MAX_PER_PAGE}", field="per_page")


@dataclass(frozen=True)
class FacetCount:
    code: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    params: SearchParams
    count: int
    alliances: list[Alliance]
    facets: dict[str, list[FacetCount]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.params.per_page))


def base_queryset(include_synthetic: bool = False) -> QuerySet[Alliance]:
    """Published fiches; synthetic ones only when asked for (benchmarks), never in public pages."""
    qs = Alliance.objects.filter(state=State.PUBLISHED)
    return qs if include_synthetic else qs.filter(is_synthetic=False)


def territory_rows(code: str) -> QuerySet[FacetValue] | None:
    """Rows of the fiches located in `code` (down) or in any territory containing it (up); None
    for France, which holds every fiche."""
    place = places.place(code)
    if not place.ancestors:
        return None
    return FacetValue.objects.filter(
        Q(facet=facets.PLACE, code=place.key)
        | Q(facet=facets.OWN_TERRITORY, code__in=[place.key, *place.ancestors])
    )


def run(params: SearchParams, language: str = "fr") -> SearchResult:
    """One page of results with the facet counts.

    The text and territory filters run once in the database and give the candidates (ids);
    every later query starts from those ids, so the full-text match is never evaluated twice.
    """
    backend = search.backend()
    base = backend.filter(base_queryset(params.include_synthetic), params.q)
    rows = territory_rows(params.territory) if params.territory else None
    if rows is not None:
        base = base.filter(backend.within(rows))
    selected = {name: set(codes) for name, codes in params.filters.items() if codes}
    candidates = backend.ids(base)  # ascending: index locality in the queries below
    # For each selected facet, which candidates have one of its chosen codes (few ids back).
    having = {
        name: set(
            FacetValue.objects.filter(
                alliance_id__in=backend.id_set(candidates), facet=name, code__in=list(codes)
            ).values_list("alliance_id", flat=True)
        )
        for name, codes in selected.items()
    }
    matching = [i for i in candidates if all(i in ids for ids in having.values())]
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for name in selected:
        others = [ids for other, ids in having.items() if other != name]
        pool = [i for i in candidates if all(i in ids for ids in others)]
        counts[name] = dict(
            FacetValue.objects.filter(alliance_id__in=backend.id_set(pool), facet=name)
            .values_list("code")
            .annotate(n=Count("id"))
        )
    if matching:
        unselected = (
            FacetValue.objects.filter(alliance_id__in=backend.id_set(matching))
            .exclude(facet__in=[facets.PLACE, facets.OWN_TERRITORY, *selected])
            .values_list("facet", "code")
            .annotate(n=Count("id"))
        )
        for facet, code, n in unselected:
            counts[facet][code] = n
    offset = (params.page - 1) * params.per_page
    page = Alliance.objects.filter(id__in=backend.id_set(matching))
    ids = backend.ranked_ids(
        page.order_by("-published_at", "title", "id"), params.q, offset, params.per_page
    )
    by_id = Alliance.objects.prefetch_related("partners").in_bulk(ids)
    return SearchResult(
        params=params,
        count=len(matching),
        alliances=[by_id[i] for i in ids if i in by_id],
        facets=_facet_list(counts, selected, language),
    )


def _facet_list(
    counts: dict[str, dict[str, int]], selected: dict[str, set[str]], language: str
) -> dict[str, list[FacetCount]]:
    out: dict[str, list[FacetCount]] = {}
    for facet in facets.FACETS:
        chosen = selected.get(facet.name, set())
        codes = dict(counts[facet.name])
        for code in chosen:
            codes.setdefault(code, 0)
        items = [
            FacetCount(code, facet.label(code, language), n, code in chosen)
            for code, n in codes.items()
        ]
        if facet.vocabulary is not None:
            items.sort(key=lambda fc: facet.order(fc.code))
        else:
            items.sort(key=lambda fc: (-fc.count, fc.label))
        out[facet.name] = items
    return out
