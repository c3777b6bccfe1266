"""PostgreSQL backend: weighted tsvector (title A, summary B, description C, partners D) with the
`french_unaccent` configuration (unaccent then French Snowball stemmer) and a GIN index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import CombinedExpression, RawSQL

from observatoire.platform.alliances.models import Alliance, FacetValue
from observatoire.platform.alliances.search import text

CONFIG = "french_unaccent"


def tsquery(query: str) -> SearchQuery | None:
    """Every meaningful word as a prefix term (`mot:*`), AND-ed; None if nothing is left."""
    terms = list(dict.fromkeys(text.words(query)))
    if not terms:
        return None
    return SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config=CONFIG)


# The fiche's facet rows as "facet:code" keys (column and GIN index: migration 0005), so that
# territory and facet conditions are index bitmaps ANDed with the full-text one.
_FACET_KEYS = f"""UPDATE {Alliance._meta.db_table} a SET facet_keys = COALESCE((
    SELECT array_agg(f.facet || ':' || f.code ORDER BY f.facet, f.code)
    FROM {FacetValue._meta.db_table} f WHERE f.alliance_id = a.id), '{{}}')
    WHERE a.id = ANY(%s)"""


def _overlaps(rows: Mapping[str, Sequence[str]]) -> RawSQL:
    keys = [f"{facet}:{code}" for facet, codes in rows.items() for code in codes]
    return RawSQL("facet_keys && %s::text[]", [keys], output_field=BooleanField())


def _vector() -> CombinedExpression:
    def part(field: str, weight: str) -> SearchVector:
        return SearchVector(field, weight=weight, config=CONFIG)  # nulls become ""

    return (
        part("title", "A")
        + part("summary", "B")
        + part("description", "C")
        + part("partners_text", "D")
    )


class PostgresBackend:
    def filter(self, queryset: QuerySet[Alliance], query: str) -> QuerySet[Alliance]:
        q = tsquery(query)
        return queryset if q is None else queryset.filter(search_vector=q)

    def ranked_ids(
        self, queryset: QuerySet[Alliance], query: str, offset: int, limit: int
    ) -> list[int]:
        q = tsquery(query)
        if q is None:
            return list(queryset.values_list("id", flat=True)[offset : offset + limit])
        ranked = queryset.annotate(rank=SearchRank(F("search_vector"), q)).order_by("-rank", "id")
        return list(ranked.values_list("id", flat=True)[offset : offset + limit])

    def forget(self, ids: Sequence[int]) -> None:
        """Nothing to do: the vector is a column of the deleted row."""

    def within(self, rows: Mapping[str, Sequence[str]]) -> RawSQL:
        return _overlaps(rows)

    def has(self, facet: str, codes: Sequence[str]) -> RawSQL:
        return _overlaps({facet: codes})

    def id_set(self, ids: Sequence[int]) -> RawSQL:
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])

    def index(self, alliances: Sequence[Alliance]) -> None:
        ids = [a.pk for a in alliances]
        if ids:
            Alliance.objects.filter(pk__in=ids).update(search_vector=_vector())
            with connection.cursor() as cursor:
                cursor.execute(_FACET_KEYS, [ids])
