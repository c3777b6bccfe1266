"""The directory's curation roles: the same groups as for the fiches of the base of alliances
(contributors propose structures and edit their own drafts; curators review, publish and archive
any), each given this app's permissions (groups made by `accounts.roles`)."""

from __future__ import annotations

from observatoire.platform.accounts.roles import ADMINISTRATORS, Role
from observatoire.platform.alliances.roles import CONTRIBUTORS, CURATORS

_CONTRIBUTOR_PERMS = (
    "support.add_structure",
    "support.change_structure",
    "support.view_structure",
)
ROLES = (
    Role(CONTRIBUTORS, _CONTRIBUTOR_PERMS),
    Role(
        CURATORS,
        (
            *_CONTRIBUTOR_PERMS,
            "support.publish_structure",
            "support.add_service",
            "support.change_service",
            "support.delete_service",
            "support.view_service",
            "support.view_curationevent",
            "support.view_gapcount",
        ),
    ),
    Role(ADMINISTRATORS, ("support.*",)),
)
