"""Search answers kept for a short while: the same search within `SECONDS` answers from the
worker's memory (Django's cache), so that a popular query (a region's alliances, an objective)
costs its SQL once. A fiche saved or deleted in this process starts a new generation of
answers at once; in the other workers, a change shows within `SECONDS` (the answer tells
browsers and proxies as much with Cache-Control)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from observatoire.platform.alliances.search.faceted import SearchParams

SECONDS = 30
GENERATION = "alliances-search-generation"


def answer(params: SearchParams, make: Callable[[], bytes]) -> bytes:
    """The kept answer to this search, or the one `make` renders (then kept)."""
    filters = sorted((name, sorted(codes)) for name, codes in params.filters.items())
    text = repr((cache.get(GENERATION, 0), params.q, params.territory, filters, params.page,
                 params.per_page, params.include_synthetic))  # fmt: skip
    key = f"alliances-search:{hashlib.sha256(text.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, SECONDS)
    return bytes(found)


def new_generation(*_args: Any, **_kwargs: Any) -> None:
    """Forget this process's kept answers (a fiche changed)."""
    cache.set(GENERATION, cache.get(GENERATION, 0) + 1, None)
