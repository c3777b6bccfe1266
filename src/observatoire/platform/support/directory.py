"""Searching the directory: by territory (up and down), need, actor type, type of structure, stage
and text, with multi-select facet counts (OR within a facet, AND across facets).

The database narrows the services by territory and text; facets are then counted in Python over
that set (a commune is covered by at most a few hundred services), each facet counted with every
filter but its own, so a visitor sees what ticking one more box would give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.platform.support import zones
from observatoire.platform.support.models import Coverage, Service, State, Structure
from observatoire.platform.support.validation import codes

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
Q_MAX = 100


@dataclass(frozen=True)
class Facet:
    name: str  # query parameter
    vocabulary: vocabularies.Vocabulary
    admits: Callable[[Service, set[str]], bool]


def _lists(field_name: str, empty_is_any: bool) -> Callable[[Service, set[str]], bool]:
    def admits(service: Service, selected: set[str]) -> bool:
        values = getattr(service, field_name)
        return (empty_is_any and not values) or bool(selected & set(values))

    return admits


FACETS: tuple[Facet, ...] = (
    Facet("need", vocabularies.SUPPORT_FORMS, _lists("support_forms", False)),
    Facet("actor_type", vocabularies.ACTOR_TYPES, _lists("actor_types", True)),
    Facet(
        "structure_type",
        vocabularies.SUPPORT_STRUCTURE_TYPES,
        lambda s, selected: s.structure.structure_type in selected,
    ),
    Facet("stage", vocabularies.INNOVATION_STAGES, _lists("innovation_stages", True)),
    Facet("objective", vocabularies.OBJECTIVES, _lists("objectives", False)),
)
BY_NAME = {f.name: f for f in FACETS}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    territory: str = ""  # any territory reference; "" for all of France
    selected: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


def clean_filters(
    *,
    q: str = "",
    territory: str = "",
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    selected: Mapping[str, Sequence[str]] | None = None,
) -> Filters:
    """Validate search input; raises InputError naming the parameter and the unknown codes."""
    text = (q or "").strip()
    if "\x00" in text or len(text) > Q_MAX:
        raise InputError(f"at most {Q_MAX} characters, no NUL byte", field="q")
    ref = ""
    if (territory or "").strip():
        try:
            ref = zones.ref(territory)
        except InputError as exc:
            raise InputError(exc.message, field="territory") from None
    if not 1 <= page <= MAX_PAGE:
        raise InputError(f"must be between 1 and {MAX_PAGE}", field="page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"must be between 1 and {MAX_PER_PAGE}", field="per_page")
    selected = selected or {}
    unknown = sorted(set(selected) - set(BY_NAME))
    if unknown:
        raise InputError(f"unknown filter(s): {', '.join(unknown)}", field=unknown[0])
    chosen = {
        name: tuple(codes(list(values), BY_NAME[name].vocabulary, name))
        for name, values in selected.items()
        if values
    }
    return Filters(text, ref, {k: v for k, v in chosen.items() if v}, page, per_page)


@dataclass(frozen=True)
class FacetCount:
    code: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hit:
    structure: Structure
    services: tuple[Service, ...]  # the services that match
    closeness: int | None  # 0 = the territory itself; None without a territory or when within
    covers: bool  # a zone covers the territory (else the structure works within it)


@dataclass(frozen=True)
class Result:
    filters: Filters
    count: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[FacetCount, ...]]
    place: territory.Territory | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.filters.per_page))

    @property
    def has_fictitious(self) -> bool:
        return any(h.structure.is_fictitious for h in self.hits)


def _services(filters: Filters, visible: Q) -> QuerySet[Service]:
    services = Service.objects.filter(visible).select_related("structure")
    if filters.territory:
        up = Q(
            coverage__relation=Coverage.ZONE,
            coverage__key__in=zones.covering_refs(filters.territory),
        )
        down = Q(coverage__relation=Coverage.WITHIN, coverage__key=filters.territory)
        services = services.filter(up | down)
    if filters.q:
        words = filters.q.split()
        for word in words:
            services = services.filter(
                Q(name__icontains=word)
                | Q(description__icontains=word)
                | Q(structure__name__icontains=word)
                | Q(structure__description__icontains=word)
            )
    return services.distinct().order_by("structure__name", "position", "id")


def _facet_counts(
    services: list[Service], filters: Filters, language: str
) -> dict[str, tuple[FacetCount, ...]]:
    out = {}
    for facet in FACETS:
        others = [(BY_NAME[n], set(c)) for n, c in filters.selected.items() if n != facet.name]
        pool = [s for s in services if all(f.admits(s, sel) for f, sel in others)]
        counts: Counter[str] = Counter()
        for term in facet.vocabulary:
            counts[term.code] = len({s.structure_id for s in pool if facet.admits(s, {term.code})})
        chosen = set(filters.selected.get(facet.name, ()))
        out[facet.name] = tuple(
            FacetCount(t.code, t.label(language), counts[t.code], t.code in chosen)
            for t in facet.vocabulary
        )
    return out


def search(filters: Filters, visible: Q | None = None) -> Result:
    """The structures whose services match, a page of them, and the facet counts.

    `visible` narrows what the visitor may see (default: published structures)."""
    language = get_language() or "fr"
    visible = visible if visible is not None else Q(structure__state=State.PUBLISHED)
    services = list(_services(filters, visible))
    chosen = [(BY_NAME[n], set(c)) for n, c in filters.selected.items()]
    matching = [s for s in services if all(f.admits(s, sel) for f, sel in chosen)]
    by_structure: dict[int, list[Service]] = {}
    for s in matching:
        by_structure.setdefault(s.structure_id, []).append(s)
    covering = zones.covering_refs(filters.territory) if filters.territory else []

    def hit(items: list[Service]) -> Hit:
        ranks = [covering.index(z) for s in items for z in s.zones if z in covering]
        return Hit(items[0].structure, tuple(items), min(ranks) if ranks else None, bool(ranks))

    hits = [hit(items) for items in by_structure.values()]
    if filters.territory:
        hits.sort(key=lambda h: (not h.covers, h.closeness or 0, h.structure.name))
    start = (filters.page - 1) * filters.per_page
    return Result(
        filters=filters,
        count=len(hits),
        hits=tuple(hits[start : start + filters.per_page]),
        facets=_facet_counts(services, filters, language),
        place=zones.get(filters.territory) if filters.territory else None,
    )
