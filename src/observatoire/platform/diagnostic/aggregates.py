"""Counts of completed diagnostics by actor type, entry door and study region: the only figures
the observatory draws from the diagnostics.

A count is shown once its cell holds at least `MIN_CELL` diagnostics. Each table is read beside
the total, so a table with a single hidden cell would give it away by subtraction: the smallest
shown cell is then hidden too (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Sum

from observatoire.platform.diagnostic.models import CompletionCount

MIN_CELL = 10


def count(actor_type: str, door: str, region: str) -> None:
    """Add one completed diagnostic to its cell (inside the caller's transaction)."""
    cell, _created = CompletionCount.objects.get_or_create(
        actor_type=actor_type, door=door, region=region
    )
    CompletionCount.objects.filter(pk=cell.pk).update(count=F("count") + 1)


@dataclass(frozen=True)
class Cell:
    key: tuple[str, ...]
    count: int | None  # None: hidden (fewer than MIN_CELL, or hidden to protect another)


def _suppressed(counts: dict[tuple[str, ...], int]) -> list[Cell]:
    hidden = {key for key, n in counts.items() if n < MIN_CELL}
    if len(hidden) == 1 and len(counts) > 1:
        shown = sorted((n, key) for key, n in counts.items() if key not in hidden)
        hidden.add(shown[0][1])
    return [Cell(key, None if key in hidden else n) for key, n in counts.items()]


def table(*dimensions: str) -> list[Cell]:
    """Counts by these dimensions ("actor_type", "door", "region"), with small cells hidden."""
    rows: Iterable[dict[str, object]] = (
        CompletionCount.objects.values(*dimensions).annotate(n=Sum("count")).order_by(*dimensions)
    )
    counts = {tuple(str(row[d]) for d in dimensions): int(str(row["n"])) for row in rows}
    return _suppressed(counts)


def total() -> int:
    return int(CompletionCount.objects.aggregate(n=Sum("count"))["n"] or 0)
