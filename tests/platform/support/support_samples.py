"""A small directory written for the tests (plain data, as in the seed YAML), with hand-worked
orientation examples in test_orientation.py. Names say what each entry is for."""

from __future__ import annotations

from typing import Any


def structure(import_id: str, structure_type: str, **changes: Any) -> dict[str, Any]:
    """A structure with one service; `service` (a dict) changes the service's fields."""
    service = {
        "import_id": "s1",
        "name": f"Service de {import_id}",
        "description": "Un service de test.",
        "zones": ["FR"],
        **changes.pop("service", {}),
    }
    return {
        "import_id": import_id,
        "name": f"Structure {import_id}",
        "description": "Une structure de test.",
        "structure_type": structure_type,
        "services": [service],
        **changes,
    }


DLA_NATIONAL = structure(
    "dla-national",
    "dla",
    service={"actor_types": ["associations"], "support_forms": ["ingenierie"]},
)
GUIDASSO_NATIONAL = structure(
    "guidasso-national",
    "guidasso",
    service={"actor_types": ["associations"], "support_forms": ["reseaux"]},
)
CRESS_NATIONAL = structure(
    "cress-national",
    "cress",
    service={
        "actor_types": ["associations", "entreprises", "citoyens"],
        "support_forms": ["reseaux"],
    },
)
DLA_94 = structure(
    "dla-94",
    "dla",
    commune="94028",
    service={"zones": ["DEP-94"], "actor_types": ["associations"], "support_forms": ["ingenierie"]},
)
MAISON_CHARENTON = structure(
    "maison-charenton",
    "maison-associations",
    commune="94018",
    service={
        "zones": ["94018"],
        "actor_types": ["associations"],
        "support_forms": ["outils-ressources", "reseaux"],
    },
)
FUNDER_IDF = structure(
    "fonds-idf",
    "financeur-solidaire",
    commune="75056",
    service={
        "zones": ["REG-11"],
        "actor_types": ["associations", "entreprises"],
        "support_forms": ["financement-direct"],
    },
)
INCUBATOR_PEMB = structure(
    "incubateur-pemb",
    "incubateur",
    commune="94068",
    service={
        "zones": ["200057941"],
        "actor_types": ["entreprises", "associations", "citoyens"],
        "support_forms": ["ingenierie", "reseaux"],
        "innovation_stages": ["emergence"],
    },
)
DIRECTORY = (
    DLA_NATIONAL,
    GUIDASSO_NATIONAL,
    CRESS_NATIONAL,
    DLA_94,
    MAISON_CHARENTON,
    FUNDER_IDF,
    INCUBATOR_PEMB,
)


def load_funds() -> None:
    """The funds app's shipped content (its funds point at seed fiches of the alliances)."""
    from observatoire.platform.alliances.content import load_seed
    from observatoire.platform.funds.content import load_content

    load_seed()
    load_content()
