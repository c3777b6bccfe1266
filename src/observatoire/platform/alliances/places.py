"""Territories of a fiche, through `observatoire.territory`: ancestors, region, department, size.

A territory reference is an INSEE code (commune, department, region), an EPCI/EPT SIREN or "FR";
department and region codes overlap ("11" is Aude and Île-de-France), so such a code is written
as INSEE's unambiguous reference: "REG-11", "DEP-11". Search rows always use the reference.
Lookups are cached: the territory data is static for the life of a process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from observatoire import territory
from observatoire.errors import InputError


@dataclass(frozen=True)
class Place:
    ref: str  # how a fiche stores it: the code, or the reference when the code is ambiguous
    key: str  # the reference ("REG-11", "COM-94018", "FR"), unique across kinds
    name: str
    ancestors: tuple[str, ...]  # keys, closest first
    region: str | None
    department: str | None
    size_class: str | None


def key_of(t: territory.Territory) -> str:
    return t.ref


def _lookup(ref: str) -> territory.Territory:
    ref = ref.strip()
    return territory.get(territory.resolve(ref))


@lru_cache(maxsize=100_000)
def place(ref: str) -> Place:
    """The territory named by `ref`; raises InputError (unknown or ambiguous reference)."""
    t = _lookup(ref)
    try:
        unambiguous = territory.get(t.code) == t
    except territory.AmbiguousTerritory:
        unambiguous = False
    return Place(
        ref=t.code if unambiguous else key_of(t),
        key=key_of(t),
        name=t.name,
        ancestors=tuple(key_of(a) for a in territory.ancestors(t)),
        region=t.code if t.kind == "region" else t.region,
        department=t.code if t.kind == "department" else t.department,
        size_class=t.size_class,
    )


def from_visitor(text: str) -> str:
    """What a visitor typed in the territory box: a code as is, else the best match of a name.

    People know their commune's name, not its INSEE code: "Charenton" becomes "COM-94018".
    """
    text = text.strip()[:100]
    if not text:
        return ""
    try:
        place(text)
    except InputError:
        if not any(ch.isalpha() for ch in text):
            return text  # a code: unknown or ambiguous, let the search say which
        matches = territory.search(text, limit=1)
        return matches[0].ref if matches else text
    return text


def name(ref: str, kind: str | None = None) -> str:
    """The territory's name, or the reference itself when it is not (or no longer) known."""
    try:
        return (territory.get(ref, kind) if kind else place(ref)).name
    except InputError:
        return ref
