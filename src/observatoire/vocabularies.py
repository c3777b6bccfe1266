"""Controlled vocabularies: the single source of codes and labels for the whole project.

Engine outputs, the study pipeline, the database, filters and charts all use these codes.
Codes are stable ASCII slugs; labels are French first, with English. The order of each list is
the order of ../shared/DOMAIN.md (for the four objectives, the order of maturity).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Term:
    code: str
    fr: str
    en: str

    def label(self, language: str = "fr") -> str:
        return self.en if language.startswith("en") else self.fr


@dataclass(frozen=True)
class Vocabulary:
    name: str
    fr: str
    en: str
    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        codes = [t.code for t in self.terms]
        if len(set(codes)) != len(codes):
            raise ValueError(f"vocabulary {self.name!r} has duplicate codes")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def __getitem__(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        allowed = ", ".join(self.codes)
        raise KeyError(f"unknown code {code!r} in vocabulary {self.name!r} (allowed: {allowed})")

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def label(self, language: str = "fr") -> str:
        """The name of the list itself, in the language."""
        return self.en if language.startswith("en") else self.fr

    def choices(self, language: str = "fr") -> list[tuple[str, str]]:
        """(code, label) pairs, as Django's `choices` expects."""
        return [(t.code, t.label(language)) for t in self.terms]


def _vocab(name: str, fr: str, en: str, *terms: tuple[str, str, str]) -> Vocabulary:
    return Vocabulary(name, fr, en, tuple(Term(*t) for t in terms))


IMPACTS = _vocab(
    "impacts",
    "Impacts des alliances",
    "Impacts of alliances",
    ("performance", "Performance", "Performance"),
    ("innovation", "Innovation", "Innovation"),
    ("confiance", "Confiance", "Trust"),
)

OBJECTIVES = _vocab(
    "objectives",
    "Objectifs des alliances",
    "Objectives of alliances",
    (
        "performance-engagement",
        "Concilier performance et engagement",
        "Reconcile performance and commitment",
    ),
    (
        "modeles-socio-economiques",
        "Équilibrer et hybrider les modèles socio-économiques",
        "Balance and hybridise socio-economic models",
    ),
    ("innovation-societale", "Innover (innovation sociétale)", "Innovate (societal innovation)"),
    (
        "co-construction-territoriale",
        "Co-construire localement (projets de territoire)",
        "Co-build locally (territorial projects)",
    ),
)

PARTNERSHIP_CATEGORIES = _vocab(
    "partnership_categories",
    "Catégories de partenariats d'entreprise",
    "Categories of company partnerships",
    ("pratiques-responsables", "Pratiques responsables", "Responsible practices"),
    ("cooperation-economique", "Coopération économique", "Economic cooperation"),
    ("innovation-societale", "Innovation sociétale", "Societal innovation"),
    ("mecenat", "Mécénat", "Corporate philanthropy"),
)

LEVERS = _vocab(
    "levers",
    "Leviers d'activation de l'intérêt général",
    "Levers for the general interest",
    ("vision-partagee", "Vision partagée", "Shared vision"),
    ("action-collective", "Action collective transformatrice", "Transformative collective action"),
    ("gestion-regulatrice", "Gestion régulatrice", "Regulatory management"),
)

NARRATIVES = _vocab(
    "narratives",
    "Récits",
    "Narratives",
    ("philosophique", "Récit philosophique (2050)", "Philosophical narrative (2050)"),
    ("politique", "Récit politique (2030)", "Political narrative (2030)"),
    ("operationnel", "Récit opérationnel (maintenant)", "Operational narrative (now)"),
)

PILLARS = _vocab(
    "pillars",
    "Piliers d'un modèle socio-économique",
    "Pillars of a socio-economic model",
    ("richesses-humaines", "Richesses humaines", "Human resources"),
    ("ressources-financieres", "Ressources financières", "Financial resources"),
    ("capacite-alliances", "Capacité d'alliances", "Capacity for alliances"),
)

SUPPORT_FORMS = _vocab(
    "support_forms",
    "Formes d'accompagnement",
    "Forms of support",
    ("donnees", "Données", "Data"),
    ("outils-ressources", "Outils et ressources", "Tools and resources"),
    ("reseaux", "Réseaux", "Networks"),
    ("ingenierie", "Apport en ingénierie", "Engineering support"),
    ("dialogue-gouvernance", "Dialogue de gouvernance", "Governance dialogue"),
    ("financement-direct", "Financement direct", "Direct funding"),
    ("valorisation", "Valorisation", "Promotion"),
)

ACTOR_TYPES = _vocab(
    "actor_types",
    "Types d'acteurs",
    "Actor types",
    ("citoyens", "Citoyens", "Citizens"),
    (
        "collectivites",
        "Élus locaux et collectivités territoriales",
        "Local elected officials and authorities",
    ),
    ("entreprises", "Entreprises", "Companies"),
    ("associations", "Associations", "Associations"),
    ("fondations", "Fondations", "Foundations"),
    ("academiques", "Acteurs académiques", "Academic actors"),
    ("etat", "Services de l'État", "State services"),
    ("investisseurs", "Investisseurs", "Investors"),
)

ORGANISATION_SIZES = _vocab(
    "organisation_sizes",
    "Tailles d'organisation",
    "Organisation sizes",
    ("tres-petite", "Très petite", "Very small"),
    ("petite-moyenne", "Petite ou moyenne", "Small or medium"),
    ("intermediaire", "Intermédiaire", "Intermediate"),
    ("grande", "Grande", "Large"),
)

FRAGILITIES = _vocab(
    "fragilities",
    "Fragilités territoriales",
    "Territorial fragilities",
    ("sante", "Santé", "Health"),
    ("pouvoir-achat", "Niveau de vie / pouvoir d'achat", "Standard of living / purchasing power"),
    ("securite", "Sécurité / délinquance", "Safety / crime"),
    ("vieillissement", "Vieillissement / intergénération", "Ageing / intergenerational ties"),
    ("emploi", "Emploi / chômage / insertion", "Employment / unemployment / integration"),
    ("pauvrete", "Pauvreté / lutte contre l'exclusion", "Poverty / fight against exclusion"),
    ("transition-energetique", "Transition énergétique", "Energy transition"),
    ("mobilite", "Mobilité / transports", "Mobility / transport"),
    (
        "environnement",
        "Environnement / pollution / biodiversité",
        "Environment / pollution / biodiversity",
    ),
    ("education", "Éducation", "Education"),
    ("developpement-economique", "Développement économique", "Economic development"),
    ("mal-logement", "Mal-logement", "Poor housing"),
    ("diversite-handicap", "Diversité / handicap", "Diversity / disability"),
    ("transition-numerique", "Transition numérique", "Digital transition"),
    ("isolement", "Isolement / manque de lien social", "Isolation / lack of social ties"),
    ("culture-loisirs", "Culture / loisirs", "Culture / leisure"),
)

TERRITORY_HEALTH = _vocab(
    "territory_health",
    "Santé du territoire",
    "Territory health",
    ("dynamique", "Dynamique", "Dynamic"),
    ("en-difficulte", "En difficulté", "In difficulty"),
    ("sinistre", "Sinistré", "Devastated"),
)

INNOVATION_STAGES = _vocab(
    "innovation_stages",
    "Étapes de l'innovation sociétale",
    "Stages of societal innovation",
    ("emergence", "Émergence", "Emergence"),
    ("modelisation", "Modélisation", "Modelling"),
    ("deploiement", "Déploiement", "Deployment"),
)

INNOVATION_KINDS = _vocab(
    "innovation_kinds",
    "Types d'innovation sociétale",
    "Kinds of societal innovation",
    ("territoriale", "Innovation territoriale", "Territorial innovation"),
    ("sociale", "Innovation sociale", "Social innovation"),
)

COMMUNE_SIZES = _vocab(
    "commune_sizes",
    "Tailles de commune",
    "Commune sizes",
    ("moins-2000", "Moins de 2 000 habitants", "Under 2,000 inhabitants"),
    ("2000-20000", "De 2 000 à 20 000 habitants", "2,000 to 20,000 inhabitants"),
    ("20000-50000", "De 20 000 à 50 000 habitants", "20,000 to 50,000 inhabitants"),
    ("plus-50000", "Plus de 50 000 habitants", "Over 50,000 inhabitants"),
)

FUNDING_INSTRUMENT_KINDS = _vocab(
    "funding_instrument_kinds",
    "Types d'instruments de financement",
    "Kinds of funding instruments",
    ("subvention", "Subvention", "Grant"),
    ("avance-remboursable", "Avance remboursable", "Repayable advance"),
    ("pret", "Prêt", "Loan"),
    ("investissement", "Investissement", "Investment"),
    ("accompagnement", "Accompagnement", "Support and advice"),
    ("co-investissement", "Cercle de co-investissement", "Co-investment circle"),
)

# Whether an association employs staff: the seed's first fork between support schemes (the DLA
# serves mainly employer associations, Guid'Asso all of them; seed L1804–L1813).
ASSOCIATION_EMPLOYMENT = _vocab(
    "association_employment",
    "Associations employeuses ou non",
    "Employer and non-employer associations",
    ("employeuse", "Association employeuse", "Employer association"),
    ("non-employeuse", "Association non employeuse", "Non-employer association"),
)

# Kinds of support structures named by the seed (L1795–L1834, L1342–L1344, L1452–L1454,
# L2174–L2175, L145 and L1855–L1868) or by the public sources of the directory's content (the
# networks of foundations and of science-society cooperation, for the actor types the seed's
# networks do not serve); data·inclusion's `reseaux_porteurs` has no code for most of them.
SUPPORT_STRUCTURE_TYPES = _vocab(
    "support_structure_types",
    "Types de structures d'accompagnement",
    "Kinds of support structures",
    ("catalyseur-territorial", "Catalyseur territorial", "Territorial catalyst"),
    ("dla", "Dispositif local d'accompagnement (DLA)", "Local support scheme (DLA)"),
    (
        "cress",
        "Chambre régionale de l'économie sociale et solidaire (CRESS)",
        "Regional chamber of the social and solidarity economy (CRESS)",
    ),
    ("guidasso", "Guid'Asso", "Guid'Asso"),
    ("centre-ressources", "Centre de ressources", "Resource centre"),
    ("financeur-solidaire", "Financeur solidaire", "Solidarity financier"),
    ("investisseur-institutionnel", "Investisseur institutionnel", "Institutional investor"),
    ("incubateur", "Incubateur", "Incubator"),
    ("laboratoire-recherche", "Laboratoire de recherche", "Research laboratory"),
    ("cercle-investisseurs", "Cercle d'investisseurs", "Investors' circle"),
    ("reseau-fondations", "Réseau de fonds et fondations", "Network of funds and foundations"),
    ("reseau-sciences-societe", "Réseau sciences-société", "Science-society network"),
    ("mission-locale", "Mission locale", "Mission locale (youth employment)"),
    (
        "ptce",
        "Pôle territorial de coopération économique (PTCE)",
        "Territorial economic cooperation cluster (PTCE)",
    ),
    ("club-entreprises", "Club d'entreprises", "Business club"),
    ("maison-associations", "Maison des associations", "Association centre"),
    ("collectivite", "Service d'une collectivité", "Local authority department"),
    ("autre", "Autre", "Other"),
)

# The balanced scorecard of the alliance economy and the partnership health check
# (../shared/notes/next_capabilities.md §3; the semantics of each code, such as which unit can be
# added up and which pillar an asset kind belongs to, live in `platform/scorecards/catalogue.py`).

SCORECARD_PERSPECTIVES = _vocab(
    "scorecard_perspectives",
    "Perspectives du tableau de bord",
    "Perspectives of the scorecard",
    ("enjeux", "Enjeux communs", "Common stakes"),
    ("impacts", "Impacts", "Impacts"),
    ("processus", "Processus d'alliance", "Alliance processes"),
    ("actifs", "Actifs", "Assets"),
)

INDICATOR_LEVELS = _vocab(
    "indicator_levels",
    "Niveaux d'indicateur",
    "Indicator levels",
    ("realisation", "Réalisation", "Output"),
    ("resultat", "Résultat", "Outcome"),
    ("impact", "Impact", "Impact"),
)

CONFIDENCE_LEVELS = _vocab(
    "confidence_levels",
    "Fiabilité d'une mesure",
    "Confidence of a measurement",
    ("declaratif", "Déclaratif", "Self-reported"),
    ("mesure", "Mesuré", "Measured"),
    ("audite", "Audité", "Audited"),
)

UNITS = _vocab(
    "units",
    "Unités des indicateurs",
    "Units of indicators",
    ("personnes", "Personnes", "People"),
    ("etp", "Équivalents temps plein (ETP)", "Full-time equivalents (FTE)"),
    ("heures", "Heures", "Hours"),
    ("euros", "Euros", "Euros"),
    ("organisations", "Organisations", "Organisations"),
    ("partenariats", "Partenariats", "Partnerships"),
    ("communes", "Communes", "Municipalities"),
    ("nombre", "Nombre", "Count"),
    ("pourcentage", "Pourcentage", "Percentage"),
    ("ratio", "Ratio", "Ratio"),
    ("note", "Note sur une échelle", "Rating on a scale"),
)

COMMON_INDICATORS = _vocab(
    "common_indicators",
    "Socle commun d'indicateurs",
    "Common core of indicators",
    ("emplois-crees", "Emplois créés", "Jobs created"),
    ("emplois-maintenus", "Emplois maintenus", "Jobs kept"),
    ("personnes-formees", "Personnes formées", "People trained"),
    ("personnes-touchees", "Personnes touchées", "People reached"),
    ("partenaires-par-type", "Partenaires actifs par type d'acteur", "Active partners by type"),
    ("nouveaux-partenariats", "Nouveaux partenariats", "New partnerships"),
    (
        "heures-engagement",
        "Heures de bénévolat et de mécénat de compétences",
        "Volunteer and skills-sponsorship hours",
    ),
    ("ressources-par-pilier", "Ressources mobilisées par pilier (€)", "Resources by pillar (€)"),
    ("effet-levier", "Effet de levier", "Leverage"),
)

ASSET_KINDS = _vocab(
    "asset_kinds",
    "Types d'actifs",
    "Kinds of assets",
    ("benevolat", "Bénévolat", "Volunteering"),
    ("salaries", "Salariés mobilisés", "Staff time"),
    ("mecenat-competences", "Mécénat de compétences", "Skills sponsorship"),
    ("competences", "Compétences et savoir-faire", "Skills and know-how"),
    ("subvention", "Subvention", "Grant"),
    ("mecenat-financier", "Mécénat financier", "Financial sponsorship"),
    ("recettes", "Recettes d'activité", "Earned income"),
    ("pret", "Prêt ou avance remboursable", "Loan or repayable advance"),
    ("investissement", "Investissement", "Investment"),
    ("partenaires", "Partenaires mobilisés", "Partners mobilised"),
    ("reseaux", "Réseaux", "Networks"),
    ("lieux", "Lieux et équipements", "Places and equipment"),
    ("donnees", "Données", "Data"),
    ("outils", "Outils et ressources", "Tools and resources"),
    ("ingenierie", "Ingénierie d'alliance (catalyse)", "Alliance engineering (catalysis)"),
)

HEALTH_ITEMS = _vocab(
    "health_items",
    "Bilan de santé du partenariat",
    "Partnership health check",
    ("apport", "Ce que nous apportons", "What we bring"),
    ("benefices", "Ce que nous en retirons", "What we get"),
    ("equilibre", "Équilibre entre les partenaires", "Balance between partners"),
    ("confiance", "Confiance", "Trust"),
    ("gouvernance", "Gouvernance", "Governance"),
)

ALL: tuple[Vocabulary, ...] = (
    IMPACTS,
    OBJECTIVES,
    PARTNERSHIP_CATEGORIES,
    LEVERS,
    NARRATIVES,
    PILLARS,
    SUPPORT_FORMS,
    ACTOR_TYPES,
    ORGANISATION_SIZES,
    FRAGILITIES,
    TERRITORY_HEALTH,
    INNOVATION_STAGES,
    INNOVATION_KINDS,
    COMMUNE_SIZES,
    FUNDING_INSTRUMENT_KINDS,
    ASSOCIATION_EMPLOYMENT,
    SUPPORT_STRUCTURE_TYPES,
    SCORECARD_PERSPECTIVES,
    INDICATOR_LEVELS,
    CONFIDENCE_LEVELS,
    UNITS,
    COMMON_INDICATORS,
    ASSET_KINDS,
    HEALTH_ITEMS,
)
BY_NAME: dict[str, Vocabulary] = {v.name: v for v in ALL}


def get(name: str) -> Vocabulary:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown vocabulary {name!r} (known: {', '.join(BY_NAME)})") from None


def as_json_data() -> dict[str, Any]:
    """Every vocabulary as plain data, in order, for the JSON export and the web API."""
    return {
        v.name: {
            "label": {"fr": v.fr, "en": v.en},
            "terms": [{"code": t.code, "fr": t.fr, "en": t.en} for t in v.terms],
        }
        for v in ALL
    }


def to_json() -> str:
    return json.dumps(as_json_data(), ensure_ascii=False, indent=2) + "\n"
