"""Full-text search backends behind one interface, chosen by the database in use.

SQLite (the embedded default) uses an FTS5 table fed with text stemmed in Python; PostgreSQL uses
a weighted `tsvector` column with the `french_unaccent` configuration and a GIN index. Both give
the same matching semantics: every meaningful query word must match, as a prefix of a stem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import BaseExpression, RawSQL

from observatoire.platform.alliances.models import Alliance


class SearchBackend(Protocol):
    def filter(self, queryset: QuerySet[Alliance], query: str) -> QuerySet[Alliance]:
        """Keep the fiches matching every meaningful word of `query`."""

    def ranked_ids(
        self, queryset: QuerySet[Alliance], query: str, offset: int, limit: int
    ) -> list[int]:
        """The ids of one page of `queryset` (already filtered), best match first."""

    def index(self, alliances: Sequence[Alliance]) -> None:
        """(Re)index these fiches' text."""

    def forget(self, ids: Sequence[int]) -> None:
        """Drop the text index rows of deleted fiches."""

    def within(self, rows: Mapping[str, Sequence[str]]) -> Q | RawSQL:
        """Keep the fiches having one of these facet rows ({facet: codes}): the territory."""

    def has(self, facet: str, codes: Sequence[str]) -> BaseExpression:
        """A boolean column: whether the fiche has one of these codes of `facet`."""

    def id_set(self, ids: Sequence[int]) -> RawSQL:
        """A subquery yielding these ids, passed as one parameter (no limit on their number)."""


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from observatoire.platform.alliances.search.postgres import PostgresBackend

        return PostgresBackend()
    from observatoire.platform.alliances.search.sqlite_fts5 import Fts5Backend

    return Fts5Backend()
