"""Coverage zones: which territories a service serves, matched up and down with the territories.

A zone is a territory of `observatoire.territory` stored as its unambiguous reference
("COM-94018", "EPT-200057941", "EPCI-200054781", "DEP-94", "REG-11", "FR"). A service whose zone
is department 94 covers commune 94018 (matching *up*: the commune's own reference and every
territory around it); a service whose zone is commune 94018 works *within* its EPT, department and
region, so it appears in their portraits (matching *down*).

data·inclusion writes a zone (`zone_eligibilite`) as INSEE codes of communes and departments,
SIRENs of EPCIs, "france", and a region as the list of its departments; `to_inclusion` and
`from_inclusion` translate, folding a region's complete list of departments back into the region.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from observatoire import territory
from observatoire.errors import InputError
from observatoire.platform.support import inclusion

FRANCE = "FR"


@lru_cache(maxsize=50_000)
def get(ref: str) -> territory.Territory:
    """The territory of a zone or a query; raises InputError (unknown, ambiguous, former code
    resolved to its successor commune)."""
    text = str(ref).strip()
    if not text:
        raise InputError("an INSEE code is required")
    if text.lower() in (inclusion.FRANCE, "france"):
        text = FRANCE
    return territory.get(territory.resolve(text))


def ref(code: str) -> str:
    """The unambiguous reference of a territory given by any accepted code."""
    return get(code).ref


@lru_cache(maxsize=50_000)
def around(ref: str) -> tuple[territory.Territory, ...]:
    """The territory and every territory containing it, smallest population first: the zones
    that cover it, closest first (for a commune of the Métropole du Grand Paris its EPT and its
    department come before the 131-commune EPCI)."""
    t = get(ref)
    levels = [t, *territory.ancestors(t)]
    return tuple(sorted(levels, key=lambda z: (z.kind == "country", z.population or 0)))


def covering_refs(ref: str) -> list[str]:
    """References of the zones that cover this territory (itself and every ancestor)."""
    return [t.ref for t in around(ref)]


def ancestors_refs(ref: str) -> list[str]:
    """References of the territories a zone lies within (its ancestors)."""
    return [t.ref for t in territory.ancestors(get(ref))]


def closeness(zone_ref: str, query_ref: str) -> int:
    """0 when the zone is the query territory itself, 1 for the closest zone around it, and so
    on; raises ValueError when the zone does not cover the query territory."""
    return covering_refs(query_ref).index(zone_ref)


def label(zone_ref: str) -> str:
    """The zone's name, or its reference when the code has left the territory data."""
    try:
        t = get(zone_ref)
    except InputError:
        return zone_ref
    return t.name


def to_inclusion(refs: Iterable[str]) -> list[str]:
    """Zones as data·inclusion's `zone_eligibilite` codes (a region as its departments)."""
    codes: list[str] = []
    for r in refs:
        try:
            t = get(r)
        except InputError:
            continue  # a code that has left the territory data: it covers nothing any more
        if t.kind == "country":
            codes.append(inclusion.FRANCE)
        elif t.kind == "region":
            codes += [d.code for d in territory.departments(t.code)]
        else:
            codes.append(t.code)
    return list(dict.fromkeys(codes))


def _inclusion_code(code: str) -> territory.Territory:
    text = str(code).strip()
    if text.lower() in (inclusion.FRANCE, inclusion.FRANCE_PAYS):
        return get(FRANCE)
    if text.startswith("99") and len(text) == 5 and text.isdigit():
        raise InputError(f"country code {text!r} is outside France (only 99100 or 'france')")
    if len(text) in (2, 3):
        return territory.get(text, "department")
    return get(text)


def from_inclusion(codes: Iterable[str]) -> list[str]:
    """References of data·inclusion zone codes; a region whose every department is listed
    becomes the region. Raises InputError naming the first bad code."""
    found = [_inclusion_code(c) for c in codes]
    departments = {t.code for t in found if t.kind == "department"}
    out: list[str] = []
    folded: set[str] = set()
    for t in found:
        if t.kind == "department" and t.region not in folded:
            members = {d.code for d in territory.departments(t.region)}
            if members <= departments and len(members) > 1:
                folded.add(t.region or "")
                out.append(territory.get(t.region or "", "region").ref)
                continue
        if t.kind == "department" and t.region in folded:
            continue
        out.append(t.ref)
    return list(dict.fromkeys(out))


def from_visitor(text: str, kinds: tuple[str, ...] | None = None) -> str:
    """What a visitor typed in a territory box: a known code as is, else the reference of the
    best match of a name ("Charenton" → "COM-94018"); unknown text comes back for the error."""
    text = text.strip()[:100]
    if not text:
        return ""
    try:
        found = get(text)
    except InputError:
        found = None
    if found is not None and (kinds is None or found.kind in kinds):
        return found.ref
    if not any(ch.isalpha() for ch in text):
        return text  # a code: unknown, ambiguous or of another kind, let validation say which
    matches = territory.search(text, kinds=kinds, limit=1)
    return matches[0].ref if matches else text
