"""Curation of structures: the same states, transitions and roles as the fiches of the base of
alliances (`platform.curation`), with the structures' own history.

Published structures are public (fictitious demo ones too, always labelled); drafts, structures
in review and archived ones are seen only by their owner and the curators.
"""

from __future__ import annotations

from django.db import transaction

from observatoire.platform import curation
from observatoire.platform.support.models import CurationEvent, State, Structure

PUBLISH = "support.publish_structure"
ADD = "support.add_structure"
POLICY = curation.Policy(publish=PUBLISH, add=ADD, what="structure")

is_curator = POLICY.is_curator
can_contribute = POLICY.can_contribute
can_edit = POLICY.can_edit
allowed = POLICY.allowed


def can_view(user: curation.User, structure: Structure) -> bool:
    return structure.state == State.PUBLISHED or is_curator(user) or POLICY.owns(user, structure)


@transaction.atomic
def apply(structure: Structure, action: str, user: curation.User, note: str = "") -> Structure:
    """Apply the transition named `action`; raises InputError or PermissionDenied."""
    previous = POLICY.change_state(structure, action, user)
    CurationEvent.objects.create(
        structure=structure,
        actor=user if user.is_authenticated else None,
        action=action,
        from_state=previous,
        to_state=structure.state,
        note=note,
    )
    return structure
