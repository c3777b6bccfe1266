"""The funds' permissions for the platform's role groups (created or completed after migrate).

Curators see every fund, request and evaluation; fund managers reach the admin pages of funds,
supports and evaluations, where `admin` narrows every list and every write to their own funds.
"""

from __future__ import annotations

from typing import Any

CURATORS = "Curateurs"
FUND_MANAGERS = "Gestionnaires de fonds"
_VIEW = ["view_fund", "view_strand", "view_support", "view_evaluation", "view_instrument"]
ROLES: dict[str, list[str]] = {
    CURATORS: [*_VIEW, "see_all_funds"],
    FUND_MANAGERS: [
        *_VIEW,
        "change_fund",
        "add_strand",
        "change_strand",
        "add_support",
        "change_support",
        "add_evaluation",
        "change_evaluation",
        "add_instrument",
        "change_instrument",
    ],
}


def ensure_roles(**_kwargs: Any) -> None:
    """Idempotent: add the funds' permissions to the role groups, creating missing groups."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="funds", codename__in=codenames)
        )
