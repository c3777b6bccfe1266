"""Sample fiches (plain data, as in the seed YAML) shared by the tests of the base of alliances."""

from __future__ import annotations

from typing import Any

VITAWIN: dict[str, Any] = {
    "import_id": "vitawin-q2er",
    "title": "VitaWin et Q2ER : prévenir le décrochage scolaire",
    "summary": "Un programme de remobilisation des élèves porté par le territoire.",
    "description": "## Genèse\nLes acteurs éducatifs et les entreprises s'allient.\n\n"
    "<script>window.pwned = true</script>",
    "territories": ["200057941"],
    "partners": [
        {
            "name": "Paris Est Marne & Bois",
            "actor_type": "collectivites",
            "size": "grande",
            "role": "porteur",
        },
        {
            "name": "VitaWin",
            "actor_type": "associations",
            "size": "tres-petite",
            "role": "opérateur",
        },
    ],
    "objectives": ["co-construction-territoriale", "innovation-societale"],
    "impacts": ["innovation", "confiance"],
    "fragilities": ["education", "emploi"],
    "innovation_stage": "deploiement",
    "timeline": [{"date": "2019", "label": "Lancement"}],
    "results": [{"label": "Élèves accompagnés chaque année", "value": "250"}],
    "sources": [
        {"title": "Actes du colloque ODD 17", "date": "2022-11-03", "locator": "seed/000.txt"}
    ],
    "last_reviewed": "2026-11-01",
}
ENERGIE: dict[str, Any] = {
    "import_id": "montargis-energie",
    "title": "Rénovation énergétique des bâtiments à Montargis",
    "summary": "Des entreprises et la commune réduisent les consommations énergétiques.",
    "territories": ["45208"],
    "partners": [{"name": "PERSEE3C", "actor_type": "entreprises", "size": "petite-moyenne"}],
    "objectives": ["performance-engagement"],
    "impacts": ["performance"],
    "fragilities": ["transition-energetique"],
    "innovation_stage": "emergence",
}
NATIONAL: dict[str, Any] = {
    "import_id": "fonds-odd17",
    "title": "Fonds ODD 17",
    "summary": "Un fonds national qui finance l'ingénierie des alliances.",
    "territories": ["FR"],
    "partners": [{"name": "Le RAMEAU", "actor_type": "academiques"}],
    "objectives": ["co-construction-territoriale"],
    "support_forms": ["financement-direct", "ingenierie"],
}
