"""Commune size classes exactly as the observatory reads its results.

Bounds (legal municipal population), each lower bound inside its class:
- "moins-2000":  population < 2,000
- "2000-20000":  2,000 <= population < 20,000
- "20000-50000": 20,000 <= population < 50,000
- "plus-50000":  population >= 50,000
"""

from __future__ import annotations

from bisect import bisect_right

from observatoire.errors import InputError
from observatoire.vocabularies import COMMUNE_SIZES

LOWER_BOUNDS = (2_000, 20_000, 50_000)
CODES = COMMUNE_SIZES.codes  # one more than the bounds, smallest class first


def size_class(population: int) -> str:
    """The COMMUNE_SIZES code of a commune of this population."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise InputError(f"population must be a non-negative integer, not {population!r}")
    return CODES[bisect_right(LOWER_BOUNDS, population)]
