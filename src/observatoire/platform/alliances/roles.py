"""The three curation roles as Django groups with their permissions.

Contributors propose fiches and edit their own drafts (the ownership rule is in `workflow`);
curators review, publish, archive and merge any fiche; administrators also manage accounts.
"""

from __future__ import annotations

from typing import Any

CONTRIBUTORS = "Contributeurs"
CURATORS = "Curateurs"
ADMINISTRATORS = "Administrateurs"

_CONTRIBUTOR_PERMS = ["add_alliance", "change_alliance", "view_alliance"]
_CURATOR_PERMS = [
    *_CONTRIBUTOR_PERMS,
    "publish_alliance",
    "merge_alliance",
    "add_partner",
    "change_partner",
    "delete_partner",
    "view_partner",
    "view_curationevent",
]
ROLES: dict[str, list[str]] = {
    CONTRIBUTORS: _CONTRIBUTOR_PERMS,
    CURATORS: _CURATOR_PERMS,
}


def ensure_roles(**_kwargs: Any) -> None:
    """Create or complete the role groups (idempotent; run after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="alliances", codename__in=codenames
        )
        group.permissions.add(*perms)
    admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    admins.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["alliances", "auth"])
    )
