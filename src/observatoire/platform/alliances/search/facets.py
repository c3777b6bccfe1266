"""The search facets: URL/API parameter name, French and English titles, and where codes come from.

Vocabulary facets take their codes and labels from `observatoire.vocabularies`; the territorial
facets (region, department) are labelled with territory names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from observatoire import territory, vocabularies
from observatoire.platform.alliances import places


@dataclass(frozen=True)
class Facet:
    name: str
    fr: str
    en: str
    vocabulary: vocabularies.Vocabulary | None = None
    kind: str | None = None  # territorial facets: the territory kind of their codes

    def title(self, language: str = "fr") -> str:
        return self.en if language.startswith("en") else self.fr

    def label(self, code: str, language: str = "fr") -> str:
        if self.vocabulary is None:
            return places.name(code, self.kind)
        try:
            return self.vocabulary[code].label(language)
        except KeyError:
            return code

    def codes(self) -> tuple[str, ...]:
        """Every code the facet may take: its vocabulary's, or its kind's territories'."""
        if self.vocabulary is not None:
            return self.vocabulary.codes
        return _territory_codes(str(self.kind))

    def order(self, code: str) -> int:
        """Vocabulary order (territorial facets are sorted by count then name instead)."""
        return (
            self.vocabulary.codes.index(code) if self.vocabulary and code in self.vocabulary else 0
        )


@cache
def _territory_codes(kind: str) -> tuple[str, ...]:
    listing = {"region": territory.regions, "department": territory.departments}[kind]
    return tuple(t.code for t in listing())


FACETS: tuple[Facet, ...] = (
    Facet("objective", "Objectif", "Objective", vocabularies.OBJECTIVES),
    Facet("impact", "Impact", "Impact", vocabularies.IMPACTS),
    Facet("actor_type", "Type d'acteur", "Actor type", vocabularies.ACTOR_TYPES),
    Facet("fragility", "Fragilité", "Fragility", vocabularies.FRAGILITIES),
    Facet("region", "Région", "Region", kind="region"),
    Facet("department", "Département", "Department", kind="department"),
    Facet("commune_size", "Taille de commune", "Commune size", vocabularies.COMMUNE_SIZES),
    Facet("stage", "Étape d'innovation", "Innovation stage", vocabularies.INNOVATION_STAGES),
    Facet(
        "category",
        "Catégorie de partenariat",
        "Partnership category",
        vocabularies.PARTNERSHIP_CATEGORIES,
    ),
    Facet("support", "Forme d'accompagnement", "Form of support", vocabularies.SUPPORT_FORMS),
)
BY_NAME = {f.name: f for f in FACETS}

# Index-only facets of the same table, holding territory keys ("kind:code"): a fiche's own
# territories, and those plus all their ancestors.
OWN_TERRITORY = "territory"
PLACE = "place"
