"""PostgreSQL backend: weighted tsvector (title A, summary B, description C, partners D) with the
`french_unaccent` configuration (unaccent then French Snowball stemmer) and a GIN index."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import CombinedExpression, RawSQL

from observatoire.platform.alliances import text
from observatoire.platform.alliances.models import Alliance, FacetValue

CONFIG = "french_unaccent"
_MATERIALISE = 5000  # territory lists up to this long are passed as an array (see `within`)


def tsquery(query: str) -> SearchQuery | None:
    """Every meaningful word as a prefix term (`mot:*`), AND-ed; None if nothing is left."""
    terms = list(dict.fromkeys(text.words(query)))
    if not terms:
        return None
    return SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config=CONFIG)


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

    def ids(self, queryset: QuerySet[Alliance]) -> list[int]:
        # PostgreSQL estimates a prefix tsquery at a fraction of its real matches and then probes
        # the territory rows once per match (nested loop); hashing them is several times faster.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop = off")
            return sorted(queryset.order_by().values_list("id", flat=True))

    def within(self, rows: QuerySet[FacetValue]) -> Q:
        # A short list is materialised first: PostgreSQL underestimates prefix tsquery matches
        # and would probe the facet index once per text match, where it hashes an array of ids.
        ids = list(rows.values_list("alliance_id", flat=True)[: _MATERIALISE + 1])
        if len(ids) > _MATERIALISE:
            return Q(id__in=rows.values("alliance_id"))
        return Q(id__in=self.id_set(sorted(set(ids))))

    def id_set(self, ids: Sequence[int]) -> RawSQL:
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])

    def index(self, alliances: Sequence[Alliance]) -> None:
        ids = [a.pk for a in alliances]
        if ids:
            Alliance.objects.filter(pk__in=ids).update(search_vector=_vector())
