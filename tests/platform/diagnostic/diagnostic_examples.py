"""The hand-worked examples of docs/diagnostic.md: answers, and the result worked out by hand."""

from __future__ import annotations

from typing import Any

# An employer association of Charenton-le-Pont, two to five partners, wishing to consolidate its
# model and to co-build a territorial project.
ASSOCIATION: dict[str, Any] = {
    "TAILLE": "petite-moyenne", "EMPLOYEUR": "employeuse", "DOMAINES": ["education", "emploi"],
    "PARTENARIATS": "2-5", "ANCIENNETE": 4, "STRATEGIE": "recurrents",
    "ENGAGEMENT": "quelques-uns", "MESURE": "realisations", "CADRE_COMMUN": "parfois",
    "RICHESSES_HUMAINES": "ponctuellement", "RESSOURCES": "un-peu",
    "TYPES_PARTENAIRES": ["collectivites", "entreprises"], "MODELE": "reflexion",
    "COCREATION": "reflexion", "INNOVATION_FRAGILITES": "sans-objet", "STADE": "sans-objet",
    "DIALOGUE": "parfois", "PROJET_TERRITOIRE": "ne-sait-pas", "CATALYSE": "connu",
    "ASSO_RESSOURCES": "public", "ASSO_MESURE": "projet", "ASSO_BENEVOLES": "parfois",
    "ENVIES": ["modeles-socio-economiques", "co-construction-territoriale"],
    "MOYENS": "moyen", "BESOINS": ["ingenierie", "reseaux"],
    "JOUER_COLLECTIF": "utile", "IMPACTS.engagement": "fort",
}  # fmt: skip
ASSOCIATION_RESULT = {
    "scores": {"performance-engagement": 52, "modeles-socio-economiques": 44,
               "innovation-societale": 11, "co-construction-territoriale": 22},
    "floor": 1, "door": "modeles-socio-economiques", "stage": None, "season": 1,
    "reasons": ["wish", "unreachable", "next-floor", "strength", "to-work"],
}  # fmt: skip

# A small association without staff and without any partnership, wishing to co-build locally.
NEWCOMER: dict[str, Any] = {
    "TAILLE": "tres-petite", "EMPLOYEUR": "non-employeuse", "DOMAINES": ["isolement"],
    "PARTENARIATS": "aucune", "ANCIENNETE": 0, "STRATEGIE": "sans-objet", "ENGAGEMENT": "non",
    "MESURE": "non", "CADRE_COMMUN": "non", "RICHESSES_HUMAINES": "non", "RESSOURCES": "non",
    "TYPES_PARTENAIRES": [], "MODELE": "reflexion", "COCREATION": "non",
    "INNOVATION_FRAGILITES": "sans-objet", "STADE": "sans-objet", "DIALOGUE": "parfois",
    "PROJET_TERRITOIRE": "ne-sait-pas", "CATALYSE": "ne-sait-pas",
    "ASSO_RESSOURCES": "benevolat", "ASSO_MESURE": "non", "ASSO_BENEVOLES": "non",
    "ASSO_ACCOMPAGNEE": "jamais", "ENVIES": ["co-construction-territoriale"], "MOYENS": "peu",
    "BESOINS": ["reseaux", "outils-ressources"],
}  # fmt: skip
NEWCOMER_RESULT = {
    "scores": {"performance-engagement": 0, "modeles-socio-economiques": 4,
               "innovation-societale": 0, "co-construction-territoriale": 11},
    "floor": 0, "door": "performance-engagement", "stage": None, "season": None,
    "reasons": ["pas-de-partenariat-territoire", "first-door", "to-work"],
}  # fmt: skip

# A large local authority with a long practice of alliances, no wish stated.
AUTHORITY: dict[str, Any] = {
    "TAILLE": "grande", "DOMAINES": ["mobilite", "transition-energetique"],
    "PARTENARIATS": "plus-5", "ANCIENNETE": 15, "STRATEGIE": "strategie", "ENGAGEMENT": "equipe",
    "MESURE": "resultats", "CADRE_COMMUN": "oui", "RICHESSES_HUMAINES": "regulierement",
    "RESSOURCES": "nettement",
    "TYPES_PARTENAIRES": ["entreprises", "associations", "academiques", "etat"],
    "MODELE": "une-action", "COCREATION": "une", "INNOVATION_FRAGILITES": "oui",
    "STADE": "modelisation", "DIALOGUE": "animation", "PROJET_TERRITOIRE": "co-pilote",
    "CATALYSE": "travail", "COL_PROJET": "integre", "COL_INGENIERIE": "poste",
    "COL_ASSOCIER": "co-construction", "COL_MUTUALISER": "souvent", "ENVIES": [],
    "MOYENS": "beaucoup", "BESOINS": ["donnees"],
}  # fmt: skip
AUTHORITY_RESULT = {
    "scores": {"performance-engagement": 87, "modeles-socio-economiques": 88,
               "innovation-societale": 78, "co-construction-territoriale": 83},
    "floor": 4, "door": "co-construction-territoriale", "stage": "modelisation", "season": 3,
    "reasons": ["no-wish", "top-floor", "strength", "to-work"],
}  # fmt: skip

# A citizen, regular volunteer, who would like to invent something new with others.
CITIZEN: dict[str, Any] = {
    "DOMAINES": ["isolement", "vieillissement"], "CIT_COLLECTIF": "benevole",
    "CIT_ENGAGEMENT": ["citoyen"], "CIT_PRATIQUES": ["energie", "eau"], "CIT_ENTRAIDE": "parfois",
    "CIT_INITIATIVE": "une-fois", "CIT_ALLIANCE": "entendu", "CIT_CONCERTATION": "une-fois",
    "ENVIES": ["innovation-societale"], "MOYENS": "moyen",
}  # fmt: skip
CITIZEN_RESULT = {
    "scores": {"performance-engagement": 61, "modeles-socio-economiques": 33,
               "innovation-societale": 33, "co-construction-territoriale": 33},
    "floor": 1, "door": "innovation-societale", "stage": None, "season": None,
    "reasons": ["wish", "already-started", "to-work"],
}  # fmt: skip

EXAMPLES = {
    "associations": (ASSOCIATION, ASSOCIATION_RESULT),
    "nouvelle-association": (NEWCOMER, NEWCOMER_RESULT),
    "collectivites": (AUTHORITY, AUTHORITY_RESULT),
    "citoyens": (CITIZEN, CITIZEN_RESULT),
}
ACTOR_TYPE = {
    "associations": "associations",
    "nouvelle-association": "associations",
    "collectivites": "collectivites",
    "citoyens": "citoyens",
}
