"""Loads the shipped territory data once and answers lookups on it.

The data file (data/territories.json.gz, built by scripts/build_territory_data.py) holds compact
rows; this module turns them into `Territory` records with their containment worked out:

- populations of departments, regions and France are sums over current communes only; the
  municipal arrondissements of Paris, Lyon and Marseille are not rows of the file (their codes
  only resolve to their city), so they are never added on top of their commune;
- a commune's EPCI and EPT come from the groups' member lists (communes carry no such field);
- an EPCI or EPT is attached to the department holding most of its population (a few EPCIs
  straddle departments), and an EPT to the EPCI holding its members (Métropole du Grand Paris).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

from observatoire.errors import InputError
from observatoire.territory.model import (
    KIND_RANK,
    PREFIX_KINDS,
    AmbiguousTerritory,
    Territory,
    UnknownTerritory,
    check_kinds,
)
from observatoire.territory.names import fold
from observatoire.territory.sizes import size_class
from observatoire.territory.study_regions import METROPOLITAN_REGIONS, study_region_of

COUNTRY = "FR"
DATA = files("observatoire.territory") / "data"


def _study(region: str) -> str | None:
    return study_region_of(region) if region in METROPOLITAN_REGIONS else None


class Registry:
    """Every territory, indexed by code, by (kind, code) and by ancestor."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.source: dict[str, str] = raw["source"]  # the npm package and version built from
        self.former_codes: dict[str, str] = raw["former_codes"]
        dep_region = {code: region for code, _, region in raw["departments"]}
        dep_study = {code: _study(region) for code, region in dep_region.items()}
        commune_epci = {m: e[0] for e in raw["epcis"] for m in e[3]}
        commune_ept = {m: e[0] for e in raw["epts"] for m in e[3]}
        communes = [
            Territory(
                code=code,
                name=name,
                kind="commune",
                population=population,
                size_class=size_class(population),
                department=dep,
                region=dep_region[dep],
                study_region=dep_study[dep],
                epci=commune_epci.get(code),
                ept=commune_ept.get(code),
            )
            for code, name, dep, population in raw["communes"]
        ]
        by_code = {c.code: c for c in communes}
        dep_communes: dict[str, list[Territory]] = defaultdict(list)
        for c in communes:
            dep_communes[c.department or ""].append(c)

        def total(members: list[Territory]) -> int:
            return sum(m.population or 0 for m in members)

        def group(row: list[Any], kind: str) -> Territory:
            code, name, _type, member_codes = row
            members = [by_code[m] for m in member_codes]
            weight: Counter[str] = Counter()
            for m in members:
                weight[m.department or ""] += m.population or 0
            dep = weight.most_common(1)[0][0]
            epcis = {m.epci for m in members} if kind == "ept" else set()
            return Territory(
                code=code,
                name=name,
                kind=kind,
                population=total(members),
                department=dep,
                region=dep_region[dep],
                study_region=_study(dep_region[dep]),
                epci=epcis.pop() if len(epcis) == 1 else None,
                members_count=len(members),
            )

        departments = [
            Territory(
                code=code,
                name=name,
                kind="department",
                population=total(dep_communes[code]),
                region=region,
                study_region=_study(region),
                members_count=len(dep_communes[code]),
            )
            for code, name, region in raw["departments"]
        ]
        regions = []
        for code, name in raw["regions"]:
            members = [c for d in departments if d.region == code for c in dep_communes[d.code]]
            regions.append(
                Territory(
                    code=code,
                    name=name,
                    kind="region",
                    population=total(members),
                    study_region=_study(code),
                    members_count=len(members),
                )
            )
        country = Territory(
            code=COUNTRY,
            name="France",
            kind="country",
            population=total(communes),
            members_count=len(communes),
        )
        self.all: list[Territory] = [
            country,
            *regions,
            *departments,
            *(group(row, "epci") for row in raw["epcis"]),
            *(group(row, "ept") for row in raw["epts"]),
            *communes,
        ]
        self.by_key = {t.key: t for t in self.all}
        self.by_code: dict[str, list[Territory]] = defaultdict(list)
        for t in self.all:
            self.by_code[t.code].append(t)
        self.aliases: list[tuple[str, str]] = [(name, code) for name, code in raw["aliases"]]

    def get(self, code: str, kind: str | None = None) -> Territory:
        check_kinds([kind] if kind else None)
        wanted = str(code).strip().upper()
        prefix, dash, rest = wanted.partition("-")
        if dash and prefix in PREFIX_KINDS:
            if kind is not None and kind != PREFIX_KINDS[prefix]:
                raise InputError(f"{code!r} names a {PREFIX_KINDS[prefix]}, not a {kind}")
            wanted, kind = rest, PREFIX_KINDS[prefix]
        found = [t for t in self.by_code.get(wanted, ()) if kind is None or t.kind == kind]
        if len(found) == 1:
            return found[0]
        if found:
            options = " and the ".join(f"{t.kind} {t.name} ({t.ref})" for t in found)
            raise AmbiguousTerritory(
                f"code {wanted!r} is both the {options}: say which one you mean, "
                f"with its reference or with kind={'/'.join(t.kind for t in found)}"
            )
        raise UnknownTerritory(self._unknown_message(wanted, kind))

    def _unknown_message(self, code: str, kind: str | None) -> str:
        if code in self.former_codes:
            new = self.by_key[("commune", self.former_codes[code])]
            return (
                f"{code!r} is no longer a commune code: it now belongs to commune "
                f"{new.code} ({new.name}); resolve it first"
            )
        if kind is not None and code in self.by_code:
            kinds = ", ".join(t.kind for t in self.by_code[code])
            return f"{code!r} is the code of a territory of kind {kinds}, not {kind}"
        return (
            f"unknown territory code {code!r}: expected a commune INSEE code (94018, 2A004), "
            f"an EPCI or EPT SIREN (9 digits), a department (DEP-94, DEP-2A), a region (REG-11) "
            f"or {COUNTRY}"
        )

    def resolve(self, code: str) -> str:
        wanted = str(code).strip().upper()
        if wanted.startswith("COM-"):
            return f"COM-{self.resolve(wanted[4:])}"
        if wanted in self.by_code:
            return wanted
        return self.former_codes.get(wanted, wanted)

    def ancestors(self, t: Territory) -> list[Territory]:
        """Closest first: EPT, EPCI, department, region, France (those that apply)."""
        if t.kind == "country":
            return []
        keys = [
            ("ept", t.ept),
            ("epci", t.epci),
            ("department", t.department),
            ("region", t.region),
            ("country", COUNTRY),
        ]
        return [self.by_key[(kind, code)] for kind, code in keys if code is not None]

    @cached_property
    def children(self) -> dict[tuple[str, str], list[Territory]]:
        index: dict[tuple[str, str], list[Territory]] = defaultdict(list)
        for t in self.all:
            for ancestor in self.ancestors(t):
                index[ancestor.key].append(t)
        return index

    def descendants(self, t: Territory, kinds: set[str] | None = None) -> list[Territory]:
        check_kinds(kinds)
        found = [d for d in self.children.get(t.key, ()) if not kinds or d.kind in kinds]
        return sorted(found, key=lambda d: (KIND_RANK[d.kind], d.code))

    @cached_property
    def search_index(self) -> list[tuple[str, Territory, bool]]:
        """(folded name, territory, found through a former or local name) for every name."""
        index = [(fold(t.name), t, False) for t in self.all]
        index += [(fold(name), self.by_key[("commune", code)], True) for name, code in self.aliases]
        return index


@cache
def registry() -> Registry:
    """The shipped data, read on first use (about 0.2 s) and kept for the process."""
    raw = json.loads(gzip.decompress((DATA / "territories.json.gz").read_bytes()))
    return Registry(raw)
