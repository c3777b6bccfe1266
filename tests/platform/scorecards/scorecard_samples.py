"""A sample fiche (plain data, as in the seed YAML) shared by the tests of the scorecards."""

from __future__ import annotations

from typing import Any

FICHE: dict[str, Any] = {
    "import_id": "ecole-entreprise",
    "title": "École et entreprises : un programme contre le décrochage",
    "summary": "Des entreprises, une collectivité et des collèges s'allient.",
    "territories": ["200057941"],
    "partners": [
        {"name": "Ville de Charenton", "actor_type": "collectivites", "role": "porteur"},
        {"name": "Club d'entreprises", "actor_type": "entreprises", "role": "partenaire"},
        {"name": "Collège Jean Moulin", "actor_type": "etat", "role": "partenaire"},
    ],
    "objectives": ["co-construction-territoriale"],
    "impacts": ["innovation", "confiance"],
    "fragilities": ["education"],
}


def make_user(name: str, *, curator: bool = False) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, password="motdepasse-solide-1")
    if curator:
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name="Curateurs"))
    return user
