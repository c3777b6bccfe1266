"""The API's search result records, built from column values rather than model instances.

A search page answers many requests per second: loading 20 full fiches (description, timeline,
imported record...) and their partners as model objects cost more CPU than the search itself.
Two SQL queries, written once, give the same records as `exports.record` restricted to the
summary fields (the API's `AllianceOut`); JSON columns are decoded by their field.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import JSONField
from django.urls import reverse

from observatoire.platform.alliances import places, search
from observatoire.platform.alliances.models import Alliance, Partner

_LISTS = ("objectives", "impacts", "partnership_categories", "fragilities", "support_forms")
_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "territories",
    *_LISTS,
    "innovation_stage",
    "last_reviewed",
    "update_frequency_months",
)
_JSON = {  # name: (field, its column expression), to decode JSON values as the ORM does
    name: (field, field.get_col(Alliance._meta.db_table))
    for name in _COLUMNS
    if isinstance(field := Alliance._meta.get_field(name), JSONField)
}
_ALLIANCES = f"SELECT {', '.join(_COLUMNS)} FROM {Alliance._meta.db_table} WHERE id IN ({{ids}})"
_PARTNERS = (
    f"SELECT alliance_id, name, actor_type, size, role FROM {Partner._meta.db_table} "
    "WHERE alliance_id IN ({ids}) ORDER BY position, id"
)


def summaries(ids: Sequence[int]) -> list[dict[str, Any]]:
    """The summary records of these fiches, in the order of `ids` (missing ids are skipped)."""
    id_set = search.backend().id_set(ids)
    partners: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_PARTNERS.format(ids=id_set.sql), id_set.params)
        for alliance_id, name, actor_type, size, role in cursor.fetchall():
            partners[alliance_id].append(
                {"name": name, "actor_type": actor_type, "size": size, "role": role}
            )
        cursor.execute(_ALLIANCES.format(ids=id_set.sql), id_set.params)
        for values in cursor.fetchall():
            row = dict(zip(_COLUMNS, values, strict=True))
            for name, (field, column) in _JSON.items():
                row[name] = field.from_db_value(row[name], column, connection)
            rows[row["id"]] = row
    return [_summary(rows[i], partners[i]) for i in ids if i in rows]


@lru_cache(maxsize=4096)
def _freshness(today: datetime.date, last_reviewed: datetime.date | None, months: int) -> str:
    """The model's rule, cached: a model instance costs more to build than the rest of a record."""
    return (
        Alliance(last_reviewed=last_reviewed, update_frequency_months=months).freshness(today).value
    )


def _summary(row: dict[str, Any], partners: list[dict[str, str]]) -> dict[str, Any]:
    freshness = _freshness(
        datetime.date.today(), row["last_reviewed"], row["update_frequency_months"]
    )
    return {
        "id": row["id"],
        "slug": row["slug"],
        "title": row["title"],
        "summary": row["summary"],
        "territories": [{"code": c, "name": places.name(c)} for c in row["territories"]],
        "partners": partners,
        **{name: row[name] for name in _LISTS},
        "innovation_stage": row["innovation_stage"] or None,
        "freshness": freshness,
        "url": reverse("alliances:detail", args=[row["slug"]]),
    }
