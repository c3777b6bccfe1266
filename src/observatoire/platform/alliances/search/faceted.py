"""Faceted search over the published base: text, territory (up and down) and multi-select facets.

Semantics, identical on both backends: every meaningful query word must match; codes of one facet
are OR-ed and facets are AND-ed; a territory keeps the fiches located in it and those of every
territory that contains it (its EPT, EPCI, department, region, France). Facet counts of a facet
are computed with every other filter applied but not its own, so that a visitor can widen a
multi-select facet without losing its other choices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

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


def _with_facet(qs: QuerySet[Alliance], facet: str, codes: Sequence[str]) -> QuerySet[Alliance]:
    # A correlated EXISTS checked on the (alliance, facet, code) index for each candidate: facet
    # codes are rarely selective, the text and the territory are, so they drive the query.
    return qs.filter(
        Exists(
            FacetValue.objects.filter(alliance_id=OuterRef("id"), facet=facet, code__in=list(codes))
        )
    )


def territory_filter(code: str) -> Q:
    """Fiches located in `code` (down) or in any territory containing it (up)."""
    place = places.place(code)
    rows = FacetValue.objects.filter(
        Q(facet=facets.PLACE, code=place.key)
        | Q(facet=facets.OWN_TERRITORY, code__in=[place.key, *place.ancestors])
    )
    return Q(id__in=rows.values("alliance_id"))


def run(params: SearchParams, language: str = "fr") -> SearchResult:
    """One page of results with the facet counts."""
    backend = search.backend()
    base = base_queryset(params.include_synthetic)
    base = backend.filter(base, params.q)
    if params.territory:
        base = base.filter(territory_filter(params.territory))
    selected = {name: list(dict.fromkeys(codes)) for name, codes in params.filters.items() if codes}

    def filtered(skip: str | None = None) -> QuerySet[Alliance]:
        qs = base
        for name, codes in selected.items():
            if name != skip:
                qs = _with_facet(qs, name, codes)
        return qs

    everything = filtered()
    count = everything.count()
    offset = (params.page - 1) * params.per_page
    ids = backend.ranked_ids(
        everything.order_by("-published_at", "title", "id"), params.q, offset, params.per_page
    )
    by_id = Alliance.objects.prefetch_related("partners").in_bulk(ids)
    return SearchResult(
        params=params,
        count=count,
        alliances=[by_id[i] for i in ids if i in by_id],
        facets=_facet_counts(everything, filtered, selected, language),
    )


def _facet_counts(
    everything: QuerySet[Alliance],
    filtered: Callable[[str | None], QuerySet[Alliance]],
    selected: dict[str, list[str]],
    language: str,
) -> dict[str, list[FacetCount]]:
    # Driven by the matching fiches (the (alliance, facet, code) index), not by facet: a search
    # usually keeps few fiches, and SQLite would otherwise scan every row of the counted facets.
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    unselected = {f.name for f in facets.FACETS if f.name not in selected}
    rows = (
        FacetValue.objects.filter(alliance_id__in=everything.values("id"))
        .exclude(facet__in=[facets.PLACE, facets.OWN_TERRITORY])
        .values_list("facet", "code")
        .annotate(n=Count("id"))
    )
    for facet, code, n in rows:
        if facet in unselected:
            counts[facet][code] = n
    for name in selected:
        rows = (
            FacetValue.objects.filter(alliance_id__in=filtered(name).values("id"))
            .exclude(facet__in=[facets.PLACE, facets.OWN_TERRITORY])
            .values_list("facet", "code")
            .annotate(n=Count("id"))
        )
        counts[name] = {code: n for facet, code, n in rows if facet == name}
    out: dict[str, list[FacetCount]] = {}
    for facet in facets.FACETS:
        chosen = selected.get(facet.name, [])
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
