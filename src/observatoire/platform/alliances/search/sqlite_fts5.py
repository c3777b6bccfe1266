"""SQLite FTS5 backend: the text is folded, stop-word-filtered and stemmed before FTS5 sees it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from observatoire.platform.alliances import text
from observatoire.platform.alliances.models import Alliance

TABLE = "alliances_fts"  # created by migration 0002_search
# bm25 column weights, in the order of the columns: title, summary, description, partners.
_RANK = f"bm25({TABLE}, 10.0, 4.0, 1.0, 2.0)"


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression: every stem as a quoted prefix term, AND-ed; None if empty."""
    stems = [text.stem(w) for w in text.words(query)]
    return " ".join(f'"{s}"*' for s in dict.fromkeys(stems)) or None


class Fts5Backend:
    def filter(self, queryset: QuerySet[Alliance], query: str) -> QuerySet[Alliance]:
        match = match_expression(query)
        if match is None:
            return queryset
        return queryset.filter(
            id__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
        )

    def ranked_ids(
        self, queryset: QuerySet[Alliance], query: str, offset: int, limit: int
    ) -> list[int]:
        match = match_expression(query)
        if match is None:
            return list(queryset.values_list("id", flat=True)[offset : offset + limit])
        sql, params = queryset.order_by().values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({sql}) "
                f"ORDER BY {_RANK}, rowid LIMIT %s OFFSET %s",
                [match, *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def index(self, alliances: Sequence[Alliance]) -> None:
        if not alliances:
            return
        rows = [
            (
                a.pk,
                text.stemmed(a.title),
                text.stemmed(a.summary),
                text.stemmed(a.description),
                text.stemmed(a.partners_text),
            )
            for a in alliances
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, summary, description, partners) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )
