"""The records that the territory API hands out, and its errors."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from observatoire.errors import InputError

# Broadest first: the order used to sort ancestors, descendants and listings.
KINDS = ("country", "region", "department", "epci", "ept", "commune")
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
# INSEE's prefixes for unambiguous geographic references ("REG-11", "DEP-11", "COM-94018").
REF_PREFIXES = {
    "region": "REG",
    "department": "DEP",
    "epci": "EPCI",
    "ept": "EPT",
    "commune": "COM",
}
PREFIX_KINDS = {prefix: kind for kind, prefix in REF_PREFIXES.items()}


class UnknownTerritory(InputError):
    """A code that names no territory of the shipped data (or not of the kind asked for)."""


class AmbiguousTerritory(InputError):
    """A code that is both a department and a region code (every region code is: "11" is Aude
    and Île-de-France): the caller must say which kind it means, with `kind=` or a reference
    such as "REG-11"."""


@dataclass(frozen=True, slots=True)
class Territory:
    """One territory. Codes: INSEE for communes, departments and regions, SIREN for EPCIs and
    EPTs, "FR" for France. `population` is the legal municipal population; `members_count` is
    the number of communes of a group (EPCI, EPT, department, region, country)."""

    code: str
    name: str
    kind: str
    population: int | None
    size_class: str | None = None
    department: str | None = None
    region: str | None = None
    study_region: str | None = None
    epci: str | None = None
    ept: str | None = None
    members_count: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Unique across kinds (department "11" and region "11" differ here)."""
        return (self.kind, self.code)

    @property
    def ref(self) -> str:
        """An unambiguous reference in INSEE's style ("REG-11", "DEP-94", "COM-94018",
        "EPCI-200054781", "EPT-200057941", "FR"), accepted wherever a code is; store this
        rather than a bare code when departments and regions share a field."""
        prefix = REF_PREFIXES.get(self.kind)
        return f"{prefix}-{self.code}" if prefix else self.code

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON; fields that do not apply to this territory are left out."""
        data = {k: v for k, v in asdict(self).items() if v is not None or k == "population"}
        return {"ref": self.ref, **data}


@dataclass(frozen=True, slots=True)
class AdultPopulation:
    """People aged 18 or more, with the year of the estimate and where the figure comes from."""

    value: int
    year: int
    source: str


@dataclass(frozen=True, slots=True)
class StudyRegion:
    """One of the 12 regions of the observatory's surveys (Corse merged into PACA), keyed by the
    INSEE code of its (main) region."""

    code: str
    name: str
    regions: tuple[str, ...]
    population: int
    adult_population: AdultPopulation


def check_kinds(kinds: set[str] | frozenset[str] | list[str] | tuple[str, ...] | None) -> None:
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown:
        raise InputError(
            f"unknown territory kind {', '.join(map(repr, unknown))} (known: {', '.join(KINDS)})",
            field="kind",
        )
