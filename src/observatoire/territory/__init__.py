"""French territories: regions, departments, communes, EPCIs and the Paris EPTs.

Built from a trimmed copy of @etalab/decoupage-administratif (see data/PROVENANCE.md); nothing is
downloaded at run time. The data is read on first use and kept for the process.

    >>> from observatoire import territory
    >>> territory.get("94018").name
    'Charenton-le-Pont'

Department and region codes overlap ("11" is Aude and Île-de-France): pass `kind=` for those,
or hand a `Territory` to `ancestors` and `descendants`.
"""

from __future__ import annotations

from collections.abc import Iterable

from observatoire.territory.adults import adult_population
from observatoire.territory.frames import CommuneFrame, FrameCell, commune_frame
from observatoire.territory.model import (
    KINDS,
    AdultPopulation,
    AmbiguousTerritory,
    StudyRegion,
    Territory,
    UnknownTerritory,
)
from observatoire.territory.registry import registry as _registry
from observatoire.territory.search import search
from observatoire.territory.shapes import department_shapes, region_shapes
from observatoire.territory.sizes import size_class
from observatoire.territory.study_regions import (
    MERGED,
    MERGED_NAME,
    study_region_codes,
    study_region_of,
)

__all__ = [
    "KINDS",
    "AdultPopulation",
    "AmbiguousTerritory",
    "CommuneFrame",
    "FrameCell",
    "StudyRegion",
    "Territory",
    "UnknownTerritory",
    "adult_population",
    "ancestors",
    "commune_frame",
    "department_shapes",
    "departments",
    "descendants",
    "get",
    "region_shapes",
    "regions",
    "resolve",
    "search",
    "size_class",
    "study_region_name",
    "study_region_of",
    "study_regions",
]


def get(code: str, kind: str | None = None) -> Territory:
    """The territory with this code; raises UnknownTerritory (an InputError) if there is none,
    AmbiguousTerritory for a code that is both a department and a region without `kind`."""
    return _registry().get(code, kind)


def resolve(code: str) -> str:
    """The current code for a former one: the successor of a merged commune (anciens codes,
    communes déléguées or associées) or the city of a municipal arrondissement ("75101" ->
    "75056"); any other code comes back unchanged."""
    return _registry().resolve(code)


def _territory(code: str | Territory) -> Territory:
    return code if isinstance(code, Territory) else _registry().get(code)


def ancestors(code: str | Territory) -> list[Territory]:
    """Containing territories, closest first: EPT, EPCI, department, region, France."""
    return _registry().ancestors(_territory(code))


def descendants(code: str | Territory, kinds: Iterable[str] | None = None) -> list[Territory]:
    """Territories inside this one (optionally only of some kinds), broadest kind first, then by
    code. EPCIs and EPTs count as inside the department that holds most of their population."""
    return _registry().descendants(_territory(code), set(kinds) if kinds is not None else None)


def regions() -> list[Territory]:
    """The 18 regions in INSEE code order (the 5 overseas ones, 01 to 06, come first)."""
    return [t for t in _registry().all if t.kind == "region"]


def departments(region: str | None = None) -> list[Territory]:
    """The 101 departments in code order, or those of one region."""
    return [
        t
        for t in _registry().all
        if t.kind == "department" and (region is None or t.region == str(region).strip())
    ]


def study_regions() -> list[StudyRegion]:
    """The 12 study regions, with their population and adult (18+) population."""
    out = []
    for code in study_region_codes():
        parts = (code, *(merged for merged, into in MERGED.items() if into == code))
        members = [_registry().get(part, "region") for part in parts]
        adults = [adult_population(part) for part in parts]
        out.append(
            StudyRegion(
                code=code,
                name=study_region_name(code),
                regions=parts,
                population=sum(m.population or 0 for m in members),
                adult_population=AdultPopulation(
                    value=sum(a.value for a in adults), year=adults[0].year, source=adults[0].source
                ),
            )
        )
    return out


def study_region_name(region_code: str) -> str:
    """Name of the study region of a metropolitan region: "Provence-Alpes-Côte d'Azur + Corse"
    for PACA and Corse, else the region's own name."""
    code = study_region_of(region_code)
    return MERGED_NAME if code in MERGED.values() else _registry().get(code, "region").name
