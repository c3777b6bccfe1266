"""The curation roles of the base of alliances (groups made by `accounts.roles`).

Contributors propose fiches and edit their own drafts (the ownership rule is in `workflow`);
curators review, publish, archive and merge any fiche; administrators manage all of it.
"""

from __future__ import annotations

from observatoire.platform.accounts.roles import ADMINISTRATORS, Role

CONTRIBUTORS = "Contributeurs"
CURATORS = "Curateurs"

_CONTRIBUTOR_PERMS = (
    "alliances.add_alliance",
    "alliances.change_alliance",
    "alliances.view_alliance",
)
ROLES = (
    Role(CONTRIBUTORS, _CONTRIBUTOR_PERMS),
    Role(
        CURATORS,
        (
            *_CONTRIBUTOR_PERMS,
            "alliances.publish_alliance",
            "alliances.merge_alliance",
            "alliances.add_partner",
            "alliances.change_partner",
            "alliances.delete_partner",
            "alliances.view_partner",
            "alliances.view_curationevent",
        ),
    ),
    Role(ADMINISTRATORS, ("alliances.*",)),
)
