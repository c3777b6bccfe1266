"""Territories of a fiche, through `observatoire.territory`: ancestors, region, department, size.

Fiches store INSEE codes (commune, EPCI/EPT SIREN, department, region or "FR"); search needs,
for each code, every enclosing territory (up/down matching) and its region and department
(facets). Lookups are cached: the territory data is static for the life of a process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from observatoire import territory


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    kind: str
    ancestors: tuple[str, ...]
    region: str | None
    department: str | None
    size_class: str | None


@lru_cache(maxsize=100_000)
def place(code: str) -> Place:
    """The territory `code` with its ancestors; raises territory.UnknownTerritory (InputError)."""
    t = territory.get(code)
    ancestors = tuple(a.code for a in territory.ancestors(code))
    return Place(
        code=t.code,
        name=t.name,
        kind=t.kind,
        ancestors=ancestors,
        region=t.code if t.kind == "region" else t.region,
        department=t.code if t.kind == "department" else t.department,
        size_class=t.size_class,
    )


def name(code: str) -> str:
    """The territory's name, or the code itself when it is unknown (a stale stored code)."""
    try:
        return place(code).name
    except territory.UnknownTerritory:
        return code
