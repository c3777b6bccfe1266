"""SQLite FTS5 backend: the text is folded, stop-word-filtered and stemmed before FTS5 sees it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from observatoire.platform.alliances.models import Alliance, FacetValue
from observatoire.platform.alliances.search import text

TABLE = "alliances_fts"  # created by migration 0002_search
# Column weights, in the order of the columns: title, summary, description, partners.
_RANK = f"bm25({TABLE}, 10.0, 4.0, 1.0, 2.0)"


_WEIGHTS = (10.0, 4.0, 1.0, 2.0)
_SCORE_HERE = 2000  # up to this many results, rank in Python (see `ranked_ids`)
_FACET_ROWS = f"SELECT alliance_id FROM {FacetValue._meta.db_table} WHERE"


def _stems(query: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.stem(w) for w in text.words(query)))


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression: every stem as a quoted prefix term, AND-ed; None if empty."""
    return " ".join(f'"{s}"*' for s in _stems(query)) or None


def _score(columns: Sequence[str], stems: tuple[str, ...]) -> float:
    return sum(
        weight * sum(1 for token in (column or "").split() if token.startswith(stems))
        for weight, column in zip(_WEIGHTS, columns, strict=True)
    )


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
        """Best first. A small result set is scored here from the stored stemmed columns (weighted
        count of query-stem occurrences: title 10, summary 4, description 1, partners 2), which
        avoids FTS5 re-running the prefix query for each row; a large one is ordered by bm25."""
        stems = _stems(query)
        if not stems:
            return list(queryset.values_list("id", flat=True)[offset : offset + limit])
        ids = list(queryset.order_by().values_list("id", flat=True))
        with connection.cursor() as cursor:
            if len(ids) > _SCORE_HERE:
                cursor.execute(
                    f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY {_RANK}, rowid",
                    [match_expression(query)],
                )
                keep = set(ids)
                ranked = [row[0] for row in cursor.fetchall() if row[0] in keep]
            else:
                cursor.execute(
                    f"SELECT rowid, title, summary, description, partners FROM {TABLE} "
                    "WHERE rowid IN (SELECT value FROM json_each(%s))",
                    [json.dumps(ids)],
                )
                scores = {row[0]: _score(row[1:], stems) for row in cursor.fetchall()}
                ranked = sorted(ids, key=lambda i: (-scores.get(i, 0.0), i))
        return ranked[offset : offset + limit]

    def forget(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def within(self, rows: Mapping[str, Sequence[str]]) -> Q:
        # One UNION subquery, each part one range of the (code, facet, alliance) index: SQLite
        # builds the (short) territory list first and probes the text matches against it (an OR
        # of two IN subqueries made it walk every text match instead: twice as long).
        parts, params = [], []
        for facet, codes in rows.items():
            marks = ", ".join(["%s"] * len(codes))
            parts.append(f"{_FACET_ROWS} facet = %s AND code IN ({marks})")
            params += [facet, *codes]
        return Q(id__in=RawSQL(" UNION ".join(parts), params))

    def has(self, facet: str, codes: Sequence[str]) -> Exists:
        return Exists(
            FacetValue.objects.filter(alliance_id=OuterRef("pk"), facet=facet, code__in=list(codes))
        )

    def id_set(self, ids: Sequence[int]) -> RawSQL:
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])

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
