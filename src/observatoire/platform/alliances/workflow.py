"""Curation: who may edit a fiche, the state transitions and the history they leave.

draft → in review → published → archived; curators can also send a fiche back to draft,
publish a draft directly, restore an archived fiche and merge a duplicate into another fiche.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.errors import InputError
from observatoire.platform.accounts.models import User as AccountUser
from observatoire.platform.alliances.models import Alliance, CurationEvent, State

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PUBLISH = "alliances.publish_alliance"
MERGE = "alliances.merge_alliance"
ADD = "alliances.add_alliance"

User = AccountUser | AnonymousUser


@dataclass(frozen=True)
class Transition:
    action: str
    label: StrOrPromise  # translated when the page is rendered
    sources: tuple[str, ...]
    target: str
    curator_only: bool


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", _("Soumettre à la relecture"), (State.DRAFT,), State.REVIEW, False),
        Transition("publish", _("Publier"), (State.DRAFT, State.REVIEW), State.PUBLISHED, True),
        Transition("reject", _("Renvoyer en brouillon"), (State.REVIEW,), State.DRAFT, True),
        Transition("archive", _("Archiver"), (State.PUBLISHED,), State.ARCHIVED, True),
        Transition("restore", _("Remettre en brouillon"), (State.ARCHIVED,), State.DRAFT, True),
    )
}


def is_curator(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm(PUBLISH))


def can_contribute(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm(ADD))


def _owns(user: User, alliance: Alliance) -> bool:
    return bool(user.is_authenticated and alliance.owner_id == user.pk)


def can_view(user: User, alliance: Alliance) -> bool:
    """Published real fiches are public; anything else only for its owner and curators."""
    if alliance.state == State.PUBLISHED and not alliance.is_synthetic:
        return True
    return is_curator(user) or _owns(user, alliance)


def can_edit(user: User, alliance: Alliance) -> bool:
    """Curators edit any fiche; a contributor edits only their own drafts."""
    if is_curator(user):
        return True
    return _owns(user, alliance) and alliance.state == State.DRAFT and can_contribute(user)


def allowed(user: User, alliance: Alliance) -> list[Transition]:
    """The transitions `user` may apply to `alliance` now."""
    return [
        t
        for t in TRANSITIONS.values()
        if alliance.state in t.sources
        and (is_curator(user) if t.curator_only else can_edit(user, alliance))
    ]


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
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InputError(f"unknown action (allowed: {', '.join(TRANSITIONS)})", field="action")
    if alliance.state not in transition.sources:
        raise InputError(f"cannot {action} a fiche in state {alliance.state!r}", field="action")
    if transition not in allowed(user, alliance):
        raise PermissionDenied(f"{action} is not allowed for this user")
    previous = alliance.state
    alliance.state = transition.target
    if transition.target == State.PUBLISHED and alliance.published_at is None:
        alliance.published_at = timezone.now()
    alliance.save(update_fields=["state", "published_at", "updated_at"])
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
