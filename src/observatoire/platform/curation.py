"""Curation shared by the apps whose entries contributors propose and curators publish (the
fiches of the base of alliances, the structures of the support directory): the states, the
transitions between them, and who may apply which.

draft → in review → published → archived; curators can also send an entry back to draft, publish
a draft directly and restore an archived entry. Each app keeps its own history table and says
which permissions make a curator and a contributor (`Policy`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from observatoire.errors import InputError
from observatoire.platform.accounts.models import User as AccountUser

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DRAFT, REVIEW, PUBLISHED, ARCHIVED = "draft", "review", "published", "archived"
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
        Transition("submit", _("Soumettre à la relecture"), (DRAFT,), REVIEW, False),
        Transition("publish", _("Publier"), (DRAFT, REVIEW), PUBLISHED, True),
        Transition("reject", _("Renvoyer en brouillon"), (REVIEW,), DRAFT, True),
        Transition("archive", _("Archiver"), (PUBLISHED,), ARCHIVED, True),
        Transition("restore", _("Remettre en brouillon"), (ARCHIVED,), DRAFT, True),
    )
}


@dataclass(frozen=True)
class Policy:
    """Who may do what with one kind of entry (a model with `state`, `owner`, `published_at`)."""

    publish: str  # the curators' permission, "app_label.codename"
    add: str  # the contributors' permission
    what: str  # the entry's name in messages ("fiche", "structure")

    def is_curator(self, user: User) -> bool:
        return bool(user.is_authenticated and user.has_perm(self.publish))

    def can_contribute(self, user: User) -> bool:
        return bool(user.is_authenticated and user.has_perm(self.add))

    def owns(self, user: User, entry: Any) -> bool:
        return bool(user.is_authenticated and entry.owner_id == user.pk)

    def visible(self, user: User, entries: QuerySet[Any]) -> QuerySet[Any]:
        """The entries `user` may see: the published ones, their own, every one for a curator.
        Whatever lists or names entries to a user (duplicate warnings, say) goes through it."""
        if self.is_curator(user):
            return entries
        seen = Q(state=PUBLISHED)
        if user.is_authenticated:
            seen |= Q(owner_id=user.pk)
        return entries.filter(seen)

    def can_edit(self, user: User, entry: Any) -> bool:
        """Curators edit any entry; a contributor edits only their own drafts."""
        if self.is_curator(user):
            return True
        return self.owns(user, entry) and entry.state == DRAFT and self.can_contribute(user)

    def allowed(self, user: User, entry: Any) -> list[Transition]:
        """The transitions `user` may apply to `entry` now."""
        return [
            t
            for t in TRANSITIONS.values()
            if entry.state in t.sources
            and (self.is_curator(user) if t.curator_only else self.can_edit(user, entry))
        ]

    def change_state(self, entry: Any, action: str, user: User) -> str:
        """Apply the transition named `action` and save the entry; returns the previous state.
        Raises InputError (unknown action, wrong state) or PermissionDenied."""
        transition = TRANSITIONS.get(action)
        if transition is None:
            raise InputError(f"unknown action (allowed: {', '.join(TRANSITIONS)})", field="action")
        if entry.state not in transition.sources:
            raise InputError(
                f"cannot {action} a {self.what} in state {entry.state!r}", field="action"
            )
        if transition not in self.allowed(user, entry):
            raise PermissionDenied(f"{action} is not allowed for this user")
        previous = entry.state
        entry.state = transition.target
        if transition.target == PUBLISHED and entry.published_at is None:
            entry.published_at = timezone.now()
        entry.save(update_fields=["state", "published_at", "updated_at"])
        return str(previous)


class CuratedAdmin(admin.ModelAdmin):
    """The admin of entries under curation (subclasses set `policy`). Contributors with admin
    access see and edit only their own drafts and can neither give an entry to someone else nor
    change the fields in `curator_fields`; curators see and edit every entry."""

    policy: Policy
    curator_fields: tuple[str, ...] = ("owner",)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self.policy.is_curator(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        entries = super().get_queryset(request)
        if self.policy.is_curator(request.user):
            return entries
        return entries.filter(owner_id=request.user.pk)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not self.policy.can_edit(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if self.policy.is_curator(request.user):
            return fields
        return fields + tuple(f for f in self.curator_fields if f not in fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and (obj.owner_id is None or not self.policy.is_curator(request.user)):
            obj.owner = request.user  # a contributor's new entry is always their own
        super().save_model(request, obj, form, change)


class HistoryInline(admin.TabularInline):
    """An entry's curation history in the admin, read only (subclasses set `model`)."""

    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_state", "to_state", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def admin_action(apply: Callable[[Any, str, User], Any], action: str, label: StrOrPromise) -> Any:
    """A Django admin action applying a transition to every selected entry (`apply` is the app's
    `workflow.apply`); entries in the wrong state are reported, not changed. Needs the admin's
    `has_publish_permission`."""

    @admin.action(description=label, permissions=["publish"])
    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = 0
        for entry in queryset:
            try:
                apply(entry, action, request.user)
                done += 1
            except InputError as exc:
                modeladmin.message_user(
                    request,
                    gettext("%(entry)s : %(error)s") % {"entry": entry, "error": exc},
                    messages.WARNING,
                )
        modeladmin.message_user(
            request,
            gettext("%(count)s élément(s) : %(action)s.")
            % {"count": done, "action": label.lower()},
        )

    run.__name__ = f"action_{action}"
    return run
