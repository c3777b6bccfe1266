"""Adult (18+) population of the metropolitan regions, the targets for weighting surveys.

The figures live in data/adult_population.json with their year and source; they cover the 13
metropolitan regions (the scope of the IMPACT-Citoyens surveys).
"""

from __future__ import annotations

import json
from functools import cache

from observatoire.territory.model import AdultPopulation, UnknownTerritory
from observatoire.territory.registry import DATA


@cache
def _table() -> dict[str, AdultPopulation]:
    raw = json.loads((DATA / "adult_population.json").read_text("utf-8"))
    return {
        code: AdultPopulation(value=row["value"], year=raw["year"], source=raw["source"])
        for code, row in raw["regions"].items()
    }


def adult_population(region_code: str) -> AdultPopulation:
    """People aged 18 or more in a metropolitan region (INSEE region code, e.g. "11")."""
    table = _table()
    code = str(region_code).strip()
    try:
        return table[code]
    except KeyError:
        raise UnknownTerritory(
            f"no adult population for region {code!r}: figures exist for the 13 metropolitan "
            f"regions ({', '.join(sorted(table))})",
            field="region",
        ) from None
