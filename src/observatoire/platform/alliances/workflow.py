"""Curation of fiches: who may see and edit one, the history that transitions leave, and merging.

States, transitions and rights are the platform's (`platform.curation`): draft → in review →
published → archived; curators can also merge a duplicate into another fiche.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform import curation
from observatoire.platform.accounts.models import User as AccountUser
from observatoire.platform.alliances.models import Alliance, CurationEvent, State

PUBLISH = "alliances.publish_alliance"
MERGE = "alliances.merge_alliance"
ADD = "alliances.add_alliance"
POLICY = curation.Policy(publish=PUBLISH, add=ADD, what="fiche")

User = AccountUser | AnonymousUser
is_curator = POLICY.is_curator
can_contribute = POLICY.can_contribute
can_edit = POLICY.can_edit
allowed = POLICY.allowed


def can_view(user: User, alliance: Alliance) -> bool:
    """Published real fiches are public; anything else only for its owner and curators."""
    if alliance.state == State.PUBLISHED and not alliance.is_synthetic:
        return True
    return is_curator(user) or POLICY.owns(user, alliance)


def record(alliance: Alliance, user: User | None, action: str, note: str = "") -> CurationEvent:
    """Append an event without a change of state (creation, edit, import)."""
    return CurationEvent.objects.create(
        alliance=alliance,
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        from_state=alliance.state,
        to_state=alliance.state,
        note=note,
    )


@transaction.atomic
def apply(alliance: Alliance, action: str, user: User, note: str = "") -> Alliance:
    """Apply the transition named `action`; raises InputError or PermissionDenied."""
    previous = POLICY.change_state(alliance, action, user)
    CurationEvent.objects.create(
        alliance=alliance,
        actor=user if user.is_authenticated else None,
        action=action,
        from_state=previous,
        to_state=alliance.state,
        note=note,
    )
    return alliance


@transaction.atomic
def merge(duplicate: Alliance, into: Alliance, user: User) -> Alliance:
    """Archive `duplicate` as merged into `into`, keeping a trace on both histories."""
    if not (user.is_authenticated and user.has_perm(MERGE)):
        raise PermissionDenied("merging fiches is reserved to curators")
    if duplicate.pk == into.pk:
        raise InputError("a fiche cannot be merged into itself", field="merged_into")
    previous = duplicate.state
    duplicate.state = State.ARCHIVED
    duplicate.merged_into = into
    duplicate.save(update_fields=["state", "merged_into", "updated_at"])
    actor = user if user.is_authenticated else None
    CurationEvent.objects.create(
        alliance=duplicate,
        actor=actor,
        action="merge",
        from_state=previous,
        to_state=State.ARCHIVED,
        note=f"fusionnée dans « {into.title} » ({into.slug})",
    )
    record(into, user, "absorb", f"a absorbé « {duplicate.title} » ({duplicate.slug})")
    return into
