"""Derive a fiche's search rows: facet values (with every enclosing territory) and its text index.

Called after every write (form, admin, API, import, seed); `reindex_all` rebuilds everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection, transaction

from observatoire.errors import InputError
from observatoire.platform.alliances import places, search
from observatoire.platform.alliances.models import Alliance, FacetValue, Partner
from observatoire.platform.alliances.search import facets

_INSERT = f"INSERT INTO {FacetValue._meta.db_table} (alliance_id, facet, code) VALUES (%s, %s, %s)"
_LIST_FACETS = {
    "objective": "objectives",
    "impact": "impacts",
    "fragility": "fragilities",
    "category": "partnership_categories",
    "support": "support_forms",
}


def facet_pairs(alliance: Alliance, actor_types: Iterable[str]) -> set[tuple[str, str]]:
    """Every (facet, code) of the fiche, including the ancestors of its territories."""
    pairs = {
        (facet, code) for facet, field in _LIST_FACETS.items() for code in getattr(alliance, field)
    }
    pairs |= {("actor_type", code) for code in actor_types}
    if alliance.innovation_stage:
        pairs.add(("stage", alliance.innovation_stage))
    for code in alliance.territories:
        try:
            place = places.place(code)
        except InputError:
            continue  # a code that has since disappeared from the territory data
        pairs.add((facets.OWN_TERRITORY, place.key))
        pairs.add((facets.PLACE, place.key))
        pairs |= {(facets.PLACE, a) for a in place.ancestors}
        if place.region:
            pairs.add(("region", place.region))
        if place.department:
            pairs.add(("department", place.department))
        if place.size_class:
            pairs.add(("commune_size", place.size_class))
    return pairs


def _batches(items: Sequence[Alliance], size: int) -> Iterator[list[Alliance]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@transaction.atomic
def reindex(alliances: Sequence[Alliance]) -> None:
    """Rebuild partners text, facet rows and full-text rows of these fiches."""
    backend = search.backend()
    for batch in _batches(alliances, 2000):
        ids = [a.pk for a in batch]
        partners: dict[int, list[tuple[str, str, str]]] = {i: [] for i in ids}
        for alliance_id, name, actor_type, role in (
            Partner.objects.filter(alliance_id__in=ids)
            .order_by("position", "id")
            .values_list("alliance_id", "name", "actor_type", "role")
        ):
            partners[alliance_id].append((name, actor_type, role))
        rows: list[tuple[int, str, str]] = []
        for alliance in batch:
            own = partners[alliance.pk]
            alliance.partners_text = " ".join(f"{name} {role}".strip() for name, _, role in own)
            pairs = facet_pairs(alliance, {t for _, t, _ in own})
            rows += [(alliance.pk, facet, code) for facet, code in sorted(pairs)]
        Alliance.objects.bulk_update(batch, ["partners_text"], batch_size=500)
        FacetValue.objects.filter(alliance_id__in=ids).delete()
        with connection.cursor() as cursor:  # plain rows: model instances cost more than the insert
            cursor.executemany(_INSERT, rows)
        backend.index(batch)


def reindex_all() -> int:
    alliances = list(Alliance.objects.order_by("id"))
    reindex(alliances)
    return len(alliances)
