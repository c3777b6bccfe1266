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
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from observatoire.errors import InputError
from observatoire.platform.alliances import places, search
from observatoire.platform.alliances.models import Alliance, FacetValue, State
from observatoire.platform.alliances.search import facets

MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # deeper than any browsing; bounds the offset (SQLite's integers are 64-bit)
_LOCATION = (facets.PLACE, facets.OWN_TERRITORY)  # location rows, counted by no facet
_COUNT = f"SELECT facet, code, COUNT(*) FROM {FacetValue._meta.db_table} WHERE alliance_id IN"


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
        for name, codes in self.filters.items():
            known = facets.BY_NAME[name].codes()
            unknown = [c for c in codes if c not in known]
            if unknown:
                shown = ", ".join(repr(c[:40]) for c in unknown[:5])
                raise InputError(f"unknown code(s) {shown}", field=name)
        if not 1 <= self.page <= MAX_PAGE:
            raise InputError(f"must be between 1 and {MAX_PAGE}", field="page")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InputError(f"must be between 1 and {MAX_PER_PAGE}", field="per_page")


@dataclass(frozen=True)
class FacetCount:
    code: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    """One page of a search as ids (best first), for callers that load the fiches their way."""

    params: SearchParams
    count: int
    ids: list[int]
    facets: dict[str, list[FacetCount]]


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


def territory_rows(code: str) -> dict[str, list[str]] | None:
    """The facet rows of the fiches located in `code` (down: their places include it) or in any
    territory containing it (up: their own territory is it or one of its ancestors); None for
    France, which holds every fiche."""
    place = places.place(code)
    if not place.ancestors:
        return None
    return {facets.PLACE: [place.key], facets.OWN_TERRITORY: [place.key, *place.ancestors]}


def run(params: SearchParams, language: str = "fr") -> SearchResult:
    """One page of results (the fiches, partners prefetched) with the facet counts."""
    found = find(params, language)
    by_id = Alliance.objects.prefetch_related("partners").in_bulk(found.ids)
    return SearchResult(
        params=params,
        count=found.count,
        alliances=[by_id[i] for i in found.ids if i in by_id],
        facets=found.facets,
    )


def find(params: SearchParams, language: str = "fr") -> SearchPage:
    """One page of result ids with the facet counts: two queries, then the page's ranking.

    1. The candidates (text and territory), each with one flag per selected facet: whether it has
       one of that facet's chosen codes. The full-text match runs once.
    2. In Python: the matches have every flag; a candidate missing exactly one selected facet
       counts towards that facet only (its counts ignore their own selection).
    3. All facet counts in one grouped query: every facet over the matches, plus each selected
       facet over its near-misses.
    """
    backend = search.backend()
    base = base_queryset(params.include_synthetic)
    rows = territory_rows(params.territory) if params.territory else None
    if rows is not None:  # before the text: SQLite then builds the territory list first
        base = base.filter(backend.within(rows))
    base = backend.filter(base, params.q)
    selected = {name: set(codes) for name, codes in params.filters.items() if codes}
    names = list(selected)
    flags = {f"has_{i}": backend.has(name, sorted(selected[name])) for i, name in enumerate(names)}
    candidates = base.order_by().annotate(**flags)
    if len(flags) > 1:  # a fiche missing two selected facets counts nowhere: leave it out
        candidates = candidates.filter(_all_but_one(list(flags)))
    found = candidates.values_list("id", *flags)
    matching: list[int] = []
    near: dict[str, list[int]] = {name: [] for name in names}
    for pk, *has in found:
        missing = [name for name, ok in zip(names, has, strict=True) if not ok]
        if not missing:
            matching.append(pk)
        elif len(missing) == 1:
            near[missing[0]].append(pk)
    matching.sort()  # ascending: index locality in the queries below
    counts = _counts(backend, matching, near)
    offset = (params.page - 1) * params.per_page
    page = Alliance.objects.filter(id__in=backend.id_set(matching))
    ids = backend.ranked_ids(
        page.order_by("-published_at", "title", "id"), params.q, offset, params.per_page
    )
    return SearchPage(
        params=params,
        count=len(matching),
        ids=ids,
        facets=_facet_list(counts, selected, language),
    )


def _all_but_one(flags: list[str]) -> Q:
    """At least all the flags but one are set (an OR of ANDs, which PostgreSQL plans as index
    bitmaps)."""
    where = Q()
    for left_out in flags:
        where |= Q(**{flag: True for flag in flags if flag != left_out})
    return where


def _counts(
    backend: search.SearchBackend, matching: list[int], near: dict[str, list[int]]
) -> dict[str, dict[str, int]]:
    """(facet, code) counts: every search facet over the matches, and each selected facet also
    over the fiches that miss only it, summed; one query (UNION ALL of grouped parts), written
    as SQL: the ORM spent longer building it than the database running it."""
    parts: list[tuple[str, list[Any]]] = []
    if matching:
        ids = backend.id_set(matching)
        where = f"({ids.sql}) AND facet NOT IN (%s, %s)"
        parts.append((f"{_COUNT} {where} GROUP BY facet, code", [*ids.params, *_LOCATION]))
    for name, near_ids in near.items():
        if near_ids:
            ids = backend.id_set(sorted(near_ids))
            where = f"({ids.sql}) AND facet = %s"
            parts.append((f"{_COUNT} {where} GROUP BY facet, code", [*ids.params, name]))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if parts:
        sql = " UNION ALL ".join(part for part, _ in parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, [p for _, params in parts for p in params])
            for facet, code, n in cursor.fetchall():
                counts[facet][code] = counts[facet].get(code, 0) + n
    return counts


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
