"""The data·inclusion schema's vocabularies, as our `Vocabulary` objects.

The codes and French labels come from the PyPI package `data-inclusion-schema` (v1), the schema
that DORA, les emplois de l'inclusion and data·inclusion exchange services in; we never retype
them, so an import or export stays valid when the package is upgraded. The package has no English:
the short lists get an English label here, the long ones (69 thématiques, ~100 réseaux porteurs)
keep their French label in English pages.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from data_inclusion.schema import v1

from observatoire.vocabularies import Term, Vocabulary

_ENGLISH: dict[str, str] = {
    # types de services
    "accompagnement": "Support",
    "aide-financiere": "Financial aid",
    "aide-materielle": "Material aid",
    "atelier": "Workshop",
    "formation": "Training",
    "information": "Information",
    # modes d'accueil
    "a-distance": "Remote",
    "en-presentiel": "In person",
    # modes de mobilisation
    "envoyer-un-courriel": "Send an e-mail",
    "se-presenter": "Come in person",
    "telephoner": "Telephone",
    "utiliser-lien-mobilisation": "Use the online link",
    # frais
    "gratuit": "Free of charge",
    "payant": "Paid",
    # publics
    "tous-publics": "Everyone",
    "actifs": "Working people",
    "beneficiaires-des-minimas-sociaux": "Recipients of minimum social benefits",
    "demandeurs-emploi": "Jobseekers",
    "etudiants": "Students",
    "familles": "Families",
    "femmes": "Women",
    "jeunes": "Young people",
    "personnes-en-situation-de-handicap": "People with disabilities",
    "personnes-en-situation-durgence": "People in an emergency",
    "personnes-en-situation-juridique-specifique": "People in a specific legal situation",
    "personnes-exilees": "Exiled people",
    "residents-qpv-frr": "Residents of priority neighbourhoods (QPV) or rural areas (FRR)",
    "seniors": "Older people",
}


def _from_enum(
    name: str, fr: str, en: str, members: type[enum.Enum], english: Mapping[str, str]
) -> Vocabulary:
    terms = tuple(
        Term(m.value, m.label, english.get(m.value, m.label))  # type: ignore[attr-defined]
        for m in members
    )
    return Vocabulary(name, fr, en, terms)


SERVICE_TYPES = _from_enum(
    "di_types_de_services", "Types de services", "Kinds of service", v1.TypeService, _ENGLISH
)
THEMATIQUES = _from_enum("di_thematiques", "Thématiques", "Themes", v1.Thematique, _ENGLISH)
PUBLICS = _from_enum("di_publics", "Publics", "Audiences", v1.Public, _ENGLISH)
RECEPTION_MODES = _from_enum(
    "di_modes_accueil", "Modes d'accueil", "Reception", v1.ModeAccueil, _ENGLISH
)
MOBILISATION_MODES = _from_enum(
    "di_modes_mobilisation",
    "Modes de mobilisation",
    "How to get in touch",
    v1.ModeMobilisation,
    _ENGLISH,
)
FEES = _from_enum("di_frais", "Frais", "Fees", v1.Frais, _ENGLISH)
NETWORKS = _from_enum(
    "di_reseaux_porteurs", "Réseaux porteurs", "Networks", v1.ReseauPorteur, _ENGLISH
)

# data·inclusion's national code (`zone_eligibilite`); its pays code for France is accepted too.
FRANCE = "france"
FRANCE_PAYS = "99100"
