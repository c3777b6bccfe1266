"""A seeded generator of FICTITIOUS local support structures, for the demonstration only.

Every structure it makes is flagged `is_fictitious`, says "(structure fictive)" in its name and
"fictive" in its description, has no address or telephone, and only example.org e-mail addresses
(a domain reserved for examples); pages, exports and API answers that show one say so. They sit in
real territories so that coverage, orientation and the map have real work to do: a set around
Charenton-le-Pont (94018) and, in each of the 12 study regions, a few departments covered at the
commune, EPCI, department or region level, the other departments left as zones blanches.
The same seed gives the same structures, so loading them again changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from observatoire import territory
from observatoire.platform.support import records
from observatoire.platform.support.models import State
from observatoire.platform.support.validation import clean_structure

DEMO_SOURCE = "demo"
SEED = 2022
FICTITIOUS = "(structure fictive)"


@dataclass(frozen=True)
class Template:
    structure_type: str
    name: str  # "{place}" is replaced by the territory's name
    service: str
    actor_types: tuple[str, ...]
    support_forms: tuple[str, ...]
    stages: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    kind: str = "accompagnement"


TEMPLATES = (
    Template(
        "dla",
        "Appui aux associations employeuses – {place}",
        "Accompagnement du projet et du modèle économique",
        ("associations",),
        ("ingenierie", "dialogue-gouvernance", "outils-ressources"),
    ),
    Template(
        "guidasso",
        "Point d'orientation associatif – {place}",
        "Orientation des associations, employeuses ou non",
        ("associations",),
        ("reseaux", "outils-ressources"),
        kind="information",
    ),
    Template(
        "maison-associations",
        "Maison des associations – {place}",
        "Ressources, locaux et mise en réseau des associations",
        ("associations", "citoyens"),
        ("outils-ressources", "reseaux", "valorisation"),
    ),
    Template(
        "catalyseur-territorial",
        "Catalyseur d'alliances – {place}",
        "Mise en relation et co-construction entre acteurs du territoire",
        ("associations", "entreprises", "collectivites"),
        ("reseaux", "dialogue-gouvernance", "ingenierie"),
        objectives=("co-construction-territoriale",),
    ),
    Template(
        "incubateur",
        "Incubateur de projets à impact – {place}",
        "Incubation de projets en émergence",
        ("entreprises", "associations", "citoyens"),
        ("ingenierie", "reseaux"),
        stages=("emergence",),
    ),
    Template(
        "financeur-solidaire",
        "Fonds territorial solidaire – {place}",
        "Prêts d'honneur, garanties et accompagnement financier",
        ("associations", "entreprises"),
        ("financement-direct", "ingenierie"),
        stages=("modelisation", "deploiement"),
        kind="aide-financiere",
    ),
    Template(
        "club-entreprises",
        "Club d'entreprises engagées – {place}",
        "Mécénat de compétences et mise en relation avec les entreprises",
        ("associations", "entreprises"),
        ("reseaux", "valorisation"),
    ),
)
BY_TYPE = {t.structure_type: t for t in TEMPLATES}

# Around Charenton-le-Pont: (template type, zone, location commune).
AROUND_94018 = (
    ("dla", "DEP-94", "94028"),
    ("guidasso", "DEP-94", "94028"),
    ("maison-associations", "94018", "94018"),
    ("incubateur", "200057941", "94068"),
    ("financeur-solidaire", "REG-11", "75056"),
    ("club-entreprises", "94018", "94018"),
)


def _entry(
    number: int, template: Template, zone: territory.Territory, commune: str
) -> dict[str, Any]:
    place = zone.name
    return {
        "import_id": f"demo-{number}",
        "name": f"{template.name.format(place=place)} {FICTITIOUS}",
        "structure_type": template.structure_type,
        "description": (
            f"Structure fictive, générée pour la démonstration de l'annuaire : elle n'existe pas. "
            f"Elle illustre un service de type « {template.service.lower()} » couvrant "
            f"{place}."
        ),
        "commune": commune,
        "email": f"demo-{number}@example.org",
        "is_fictitious": True,
        "licence": "CC0 1.0",
        "services": [
            {
                "import_id": "service-1",
                "name": template.service,
                "description": f"Service fictif (démonstration) : {template.service.lower()}.",
                "kind": template.kind,
                "zones": [zone.ref],
                "actor_types": list(template.actor_types),
                "support_forms": list(template.support_forms),
                "innovation_stages": list(template.stages),
                "objectives": list(template.objectives),
                "mobilisation_modes": ["envoyer-un-courriel"],
            }
        ],
    }


def _largest_communes(department: territory.Territory, n: int) -> list[territory.Territory]:
    communes = territory.descendants(department, kinds=("commune",))
    return sorted(communes, key=lambda c: -(c.population or 0))[:n]


def entries(seed: int = SEED) -> list[dict[str, Any]]:
    """The demo structures as plain data (validated like any entry when loaded)."""
    rng = random.Random(seed)
    out = [
        _entry(i, BY_TYPE[kind], territory.get(zone), commune)
        for i, (kind, zone, commune) in enumerate(AROUND_94018, start=1)
    ]
    for study_region in territory.study_regions():
        departments = [d for r in study_region.regions for d in territory.departments(r)]
        chosen = rng.sample(departments, k=min(2, len(departments)))
        region = territory.get(study_region.code, "region")
        if rng.random() < 0.5:  # a region-wide funder in about half of the regions
            town = _largest_communes(chosen[0], 1)[0]
            out.append(_entry(len(out) + 1, BY_TYPE["financeur-solidaire"], region, town.code))
        for department in chosen:
            towns = _largest_communes(department, 10)
            for template in rng.sample(TEMPLATES, k=rng.randint(2, 4)):
                town = rng.choice(towns)
                level = rng.choice(("commune", "epci", "department", "department"))
                zone = {
                    "commune": town,
                    "epci": territory.get(town.epci) if town.epci else department,
                    "department": department,
                }[level]
                out.append(_entry(len(out) + 1, template, zone, town.code))
    return out


@transaction.atomic
def load(seed: int = SEED) -> int:
    """Create or refresh the demo structures, published (idempotent); returns how many."""
    items = entries(seed)
    for item in items:
        records.save_structure(clean_structure(item), source=DEMO_SOURCE, state=State.PUBLISHED)
    return len(items)
