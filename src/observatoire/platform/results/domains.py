"""Which published figures speak about a territory: "la moyenne n'existe pas".

The studies publish figures for France, each study region and each banner profile of France
(among them the commune size class, one of the seed's four reading keys). A territory is read
through the domains that contain it: a commune through its study region, France and the
communes of its size class; a department, an EPCI or an EPT through its study region and
France; a region through its study region and France. Overseas territories are outside the
studies' universe (metropolitan France): France is shown, said as such.

    >>> [d.reading for d in domains(place("94018"), "commune_size")]
    ['study_region', 'size_class', 'france']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.results_contract import NATIONAL
from observatoire.territory.study_regions import study_region_codes

STUDY_REGION, SIZE_CLASS, FRANCE, PROFILE = "study_region", "size_class", "france", "profile"
READINGS = (STUDY_REGION, SIZE_CLASS, FRANCE, PROFILE)


@dataclass(frozen=True)
class Place:
    """A territory as the results read it."""

    ref: str  # "FR", "REG-11", "DEP-94", "COM-94018", "EPCI-…", "EPT-…"
    code: str
    name: str
    kind: str  # as observatoire.territory: country, region, department, epci, ept, commune
    study_region: str | None  # its study region's code (the results' `territory`), if any
    size_class: str | None  # a commune's size class (vocabulary commune_sizes)

    @property
    def in_universe(self) -> bool:
        """Whether the studies (metropolitan France) cover it."""
        return self.kind == "country" or self.study_region is not None

    def as_dict(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "study_region": self.study_region,
            "study_region_name": study_region_name(self.study_region),
            "size_class": self.size_class,
            "in_universe": self.in_universe,
        }


@dataclass(frozen=True)
class Domain:
    """Whose figures: a territory of the results and a banner profile level (or everyone)."""

    reading: str  # STUDY_REGION, SIZE_CLASS, FRANCE or PROFILE
    territory: str
    profile: str | None = None
    profile_level: str | None = None

    def label(self, language: str = "fr") -> str:
        if self.reading == SIZE_CLASS and self.profile_level in vocabularies.COMMUNE_SIZES.codes:
            return size_label(self.profile_level, language)
        if self.reading == FRANCE:
            return "France"
        if self.reading == PROFILE:
            return f"{self.profile} : {self.profile_level}"
        return study_region_name(self.territory) or self.territory


def size_label(code: str, language: str = "fr") -> str:
    """The communes of a size class: "Communes de 20 000 à 50 000 habitants"."""
    label = _unbroken(vocabularies.COMMUNE_SIZES[code].label(language))
    if language.startswith("fr"):
        lowered = label[0].lower() + label[1:]
        return "Communes " + (lowered if lowered.startswith("de ") else f"de {lowered}")
    return "Communes " + ("of " if label[0].isdigit() else "") + label[0].lower() + label[1:]


def _unbroken(text: str) -> str:
    """Digit groups held together: "20 000" never breaks across lines."""
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", text)


def size_text(code: str, language: str = "fr") -> str:
    """A commune's size class as it reads after its name: "de 20 000 à 50 000 habitants"."""
    label = _unbroken(vocabularies.COMMUNE_SIZES[code].label(language))
    return label[0].lower() + label[1:]


def study_region_name(code: str | None) -> str | None:
    return None if code is None else territory.study_region_name(code)


@lru_cache(maxsize=50_000)
def place(text: str) -> Place:
    """The territory named by an INSEE code, a SIREN, "FR" or a reference ("REG-11", "DEP-94",
    "COM-94018"); a bare two-digit code that is a study region's is that study region, as in
    the results. Former commune codes resolve to their successor. InputError otherwise."""
    code = (text or "").strip()
    if not code or len(code) > 30 or "\x00" in code:
        raise InputError("give an INSEE code, a SIREN or FR", field="territory")
    if code.upper() == NATIONAL:
        return Place(NATIONAL, NATIONAL, "France", "country", None, None)
    if code in study_region_codes():
        code = f"REG-{code}"
    found = territory.get(territory.resolve(code))
    if found.kind == "country":
        return place(NATIONAL)
    study = found.study_region
    return Place(found.ref, found.code, found.name, found.kind, study, found.size_class)


def reading_place(territory: str, size_class: str | None = None) -> Place:
    """A place standing for the domains a portrait reads (`territory`: FR or a study region's
    reference; `size_class`: a commune size class): every commune of a study region and size
    class reads the same figures, so their charts are one and the same. InputError if unknown."""
    where = place(territory)
    if where.kind not in ("country", "region") or (where.kind == "region" and where.study_region
                                                   != where.code):  # fmt: skip
        raise InputError("give FR or a study region (REG-11)", field="territory")
    if size_class is None:
        return where
    if size_class not in vocabularies.COMMUNE_SIZES.codes:
        raise InputError(f"unknown size class {size_class!r}", field="taille")
    return replace(where, size_class=size_class)


def standing(where: Place) -> Place:
    """The place that stands for a place's domains: its study region (or France) and its size
    class (see `reading_place`)."""
    region = f"REG-{where.study_region}" if where.study_region else NATIONAL
    return reading_place(region, where.size_class if where.in_universe else None)


def chart_query(where: Place) -> str:
    """The query string of the charts of a place's portrait: the same for every place of the
    same domains."""
    found = standing(where)
    return f"territoire={found.ref}" + (f"&taille={found.size_class}" if found.size_class else "")


def size_profile(profiles: Iterable[tuple[str, str]]) -> str | None:
    """The banner profile whose levels are commune size classes, among (profile, level) pairs."""
    levels: dict[str, set[str]] = {}
    for profile, level in profiles:
        levels.setdefault(profile, set()).add(level)
    sizes = set(vocabularies.COMMUNE_SIZES.codes)
    return next((p for p, found in sorted(levels.items()) if found and found <= sizes), None)


def domains(where: Place, size: str | None) -> list[Domain]:
    """The domains that speak about a place, its own first: study region, size class, France."""
    out = []
    if where.study_region is not None:
        out.append(Domain(STUDY_REGION, where.study_region))
    if where.size_class is not None and size is not None and where.in_universe:
        out.append(Domain(SIZE_CLASS, NATIONAL, size, where.size_class))
    out.append(Domain(FRANCE, NATIONAL))
    return out


def reading(territory_code: str, profile: str | None, size: str | None) -> str:
    """The reading of a published row's domain."""
    if territory_code != NATIONAL:
        return STUDY_REGION
    if profile is None:
        return FRANCE
    return SIZE_CLASS if profile == size else PROFILE
