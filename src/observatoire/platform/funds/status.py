"""The life of a support: requested → granted → paid → closed, and the ways out.

A request is granted or declined (closed, with the reason); a grant is paid (direct funding only)
or closed (in-kind support delivered, or cancelled); a payment is closed. Nothing goes back: a
mistake is corrected by a new record, so the history stays the story of what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from observatoire.errors import InputError
from observatoire.platform.funds import access
from observatoire.platform.funds.models import Support, SupportStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Transition:
    action: str
    label: StrOrPromise
    source: str
    target: str
    needs_note: bool = False
    direct_funding_only: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("grant", _("Accorder"), SupportStatus.REQUESTED, SupportStatus.GRANTED),
    Transition(
        "decline", _("Refuser ou classer"), SupportStatus.REQUESTED, SupportStatus.CLOSED, True
    ),
    Transition(
        "pay", _("Enregistrer le versement"), SupportStatus.GRANTED, SupportStatus.PAID, False, True
    ),
    Transition("close", _("Clore"), SupportStatus.GRANTED, SupportStatus.CLOSED),
    Transition("close", _("Clore"), SupportStatus.PAID, SupportStatus.CLOSED),
)
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
STATUSES = tuple(SupportStatus.values)


def possible(support: Support) -> list[Transition]:
    """The transitions the support's current status and form allow."""
    return [
        t
        for t in TRANSITIONS
        if t.source == support.status and (support.is_financial or not t.direct_funding_only)
    ]


def allowed(user: object, support: Support) -> list[Transition]:
    return possible(support) if access.manages(user, support.fund) else []


def check_change(support: Support, target: str) -> None:
    """Raise unless the status may go from the support's current one to `target`."""
    if target != support.status and target not in {t.target for t in possible(support)}:
        allowed_targets = ", ".join(t.target for t in possible(support)) or "none"
        raise InputError(
            f"a {support.status} support cannot become {target} (allowed: {allowed_targets})",
            field="status",
        )


@transaction.atomic
def apply(support: Support, action: str, user: object, note: str = "") -> Support:
    """Apply `action` to `support` as `user`; the history keeps who, when and the note."""
    if not access.manages(user, support.fund):
        raise PermissionDenied("only the fund's managers change its supports")
    if action not in ACTIONS:
        raise InputError(f"unknown action (allowed: {', '.join(ACTIONS)})", field="action")
    transition = next((t for t in possible(support) if t.action == action), None)
    if transition is None:
        raise InputError(f"cannot {action} a {support.status} support", field="action")
    note = note.strip()
    if "\x00" in note or len(note) > 2000:
        raise InputError("the note is text of at most 2000 characters", field="note")
    if transition.needs_note and not note:
        raise InputError("say why (the reason is kept in the history)", field="note")
    support.status = transition.target
    support._history_user = user  # type: ignore[attr-defined]
    support._change_reason = f"{action}: {note}" if note else action  # type: ignore[attr-defined]
    support.save(update_fields=["status", "updated_at"])
    return support
