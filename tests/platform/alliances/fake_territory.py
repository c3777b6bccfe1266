"""A minimal stand-in for observatoire.territory while that module is being written elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire.errors import InputError


class UnknownTerritory(InputError):
    pass


@dataclass(frozen=True)
class Territory:
    code: str
    name: str
    kind: str
    population: int | None = None
    department: str | None = None
    region: str | None = None
    study_region: str | None = None
    epci: str | None = None
    ept: str | None = None
    size_class: str | None = None


_T = [
    Territory("FR", "France", "country"),
    Territory("11", "Île-de-France", "region", region="11"),
    Territory("24", "Centre-Val de Loire", "region", region="24"),
    Territory("75", "Paris", "department", department="75", region="11"),
    Territory("94", "Val-de-Marne", "department", department="94", region="11"),
    Territory("45", "Loiret", "department", department="45", region="24"),
    Territory("200054781", "Métropole du Grand Paris", "epci", region="11"),
    Territory("200057941", "Paris Est Marne & Bois", "ept", department="94", region="11", epci="200054781"),
    Territory("94018", "Charenton-le-Pont", "commune", 30000, "94", "11", epci="200054781", ept="200057941", size_class="20000-50000"),
    Territory("94068", "Saint-Maur-des-Fossés", "commune", 75000, "94", "11", epci="200054781", ept="200057941", size_class="plus-50000"),
    Territory("75056", "Paris", "commune", 2100000, "75", "11", epci="200054781", size_class="plus-50000"),
    Territory("45208", "Montargis", "commune", 14000, "45", "24", size_class="2000-20000"),
]
_BY = {t.code: t for t in _T}


def get(code: str) -> Territory:
    try:
        return _BY[code]
    except KeyError:
        raise UnknownTerritory(f"unknown territory {code!r}") from None


def ancestors(code: str) -> list[Territory]:
    t = get(code)
    chain = [t.ept, t.epci, t.department, t.region]
    out = [get(c) for c in chain if c and c != code]
    return [*out, get("FR")] if code != "FR" else []


def descendants(code: str, kinds=None):  # type: ignore[no-untyped-def]
    return [t for t in _T if t.code != code and (kinds is None or t.kind in kinds) and (code == "FR" or code in {a.code for a in ancestors(t.code)})]


def region_shapes():  # type: ignore[no-untyped-def]
    def sq(code, x, y):  # type: ignore[no-untyped-def]
        return {"type": "Feature", "id": code, "properties": {"code": code, "name": _BY[code].name},
                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}}
    return {"type": "FeatureCollection", "features": [sq("11", 2, 48.5), sq("24", 1, 47)]}


def department_shapes():  # type: ignore[no-untyped-def]
    def sq(code, x, y):  # type: ignore[no-untyped-def]
        return {"type": "Feature", "id": code, "properties": {"code": code, "name": _BY[code].name},
                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + .3, y], [x + .3, y + .3], [x, y + .3], [x, y]]]}}
    return {"type": "FeatureCollection", "features": [sq("75", 2.2, 48.8), sq("94", 2.4, 48.7), sq("45", 2.3, 47.9)]}
