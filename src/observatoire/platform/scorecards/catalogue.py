"""What the scorecard's codes mean: the common core of indicators, asset kinds by pillar, units.

The codes and labels are the shared vocabularies (`observatoire.vocabularies`); this module adds
their semantics, the way IRIS+ gives each metric a definition, a unit and a calculation. Seed
lines are those of `shared/seed/000_b1bff007016ee30f.txt`.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatoire import vocabularies as v

# Units whose values can be added: counts and amounts. Percentages, ratios and ratings cannot
# (a sum of two leverage ratios means nothing), so roll-ups leave them out and say so.
ADDITIVE_UNITS = frozenset(
    {"personnes", "etp", "heures", "euros", "organisations", "partenariats", "communes", "nombre"}
)

# Asset kinds by pillar (the three pillars of a socio-economic model, seed L1233–L1234).
PILLAR_OF_KIND: dict[str, str] = {
    **dict.fromkeys(
        ("benevolat", "salaries", "mecenat-competences", "competences"), "richesses-humaines"
    ),
    **dict.fromkeys(
        ("subvention", "mecenat-financier", "recettes", "pret", "investissement"),
        "ressources-financieres",
    ),
    **dict.fromkeys(
        ("partenaires", "reseaux", "lieux", "donnees", "outils", "ingenierie"),
        "capacite-alliances",
    ),
}

# Vocabularies an indicator may be broken down by (e.g. partners by actor type).
BREAKDOWNS: dict[str, v.Vocabulary] = {
    "actor_types": v.ACTOR_TYPES,
    "pillars": v.PILLARS,
    "asset_kinds": v.ASSET_KINDS,
}


@dataclass(frozen=True)
class CommonIndicator:
    code: str
    definition: str
    perspective: str
    level: str
    unit: str
    temporality: str  # "flux" or "stock" (`models.Temporality`)
    breakdown: str  # a key of BREAKDOWNS, or ""
    origin: str  # where the seed asks for it

    @property
    def name(self) -> str:
        return v.COMMON_INDICATORS[self.code].fr


COMMON_CORE: tuple[CommonIndicator, ...] = (
    CommonIndicator(
        "emplois-crees",
        "Emplois créés sur la période grâce à l'alliance, en équivalents temps plein.",
        "enjeux", "resultat", "etp", "flux", "", "L1849–L1854",
    ),
    CommonIndicator(
        "emplois-maintenus",
        "Emplois maintenus sur la période grâce à l'alliance, en équivalents temps plein.",
        "enjeux", "resultat", "etp", "flux", "", "L1849–L1854",
    ),
    CommonIndicator(
        "personnes-formees",
        "Personnes ayant suivi une formation dans le cadre de l'alliance sur la période.",
        "enjeux", "realisation", "personnes", "flux", "", "L1849–L1854",
    ),
    CommonIndicator(
        "personnes-touchees",
        "Bénéficiaires directs des actions de l'alliance sur la période.",
        "enjeux", "realisation", "personnes", "flux", "", "L1462–L1464",
    ),
    CommonIndicator(
        "partenaires-par-type",
        "Organisations partenaires actives à la date, par type d'acteur.",
        "processus", "realisation", "organisations", "stock", "actor_types", "L1422, L229",
    ),
    CommonIndicator(
        "nouveaux-partenariats",
        "Partenariats noués sur la période.",
        "processus", "realisation", "partenariats", "flux", "", "L1439",
    ),
    CommonIndicator(
        "heures-engagement",
        "Heures de bénévolat et de mécénat de compétences consacrées à l'alliance sur la période.",
        "actifs", "realisation", "heures", "flux", "asset_kinds", "L1356–L1359",
    ),
    CommonIndicator(
        "ressources-par-pilier",
        "Ressources mobilisées sur la période, valorisées en euros, par pilier du modèle "
        "socio-économique.",
        "actifs", "realisation", "euros", "flux", "pillars", "L1233–L1234",
    ),
    CommonIndicator(
        "effet-levier",
        "Euros mobilisés par l'ensemble des partenaires pour un euro apporté par le financeur "
        "initial (par exemple le Fonds ODD 17).",
        "actifs", "resultat", "ratio", "stock", "", "L1976–L1977",
    ),
)  # fmt: skip
COMMON_BY_CODE: dict[str, CommonIndicator] = {c.code: c for c in COMMON_CORE}
