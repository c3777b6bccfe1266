"""Roles of the scorecards (groups made by `accounts.roles` after every migrate).

Partners of an alliance are not a group: who acts for which partner is a `PartnerRepresentative`
row (see `access`). Curators see and edit every scorecard and health check, in the pages and in
the admin; administrators may do everything.
"""

from __future__ import annotations

from observatoire.platform.accounts.roles import ADMINISTRATORS, Role
from observatoire.platform.alliances.roles import CURATORS

CURATE = "scorecards.curate_scorecard"
_MODELS = ("scorecard", "partnerrepresentative", "asset", "stake", "pathway", "indicator",
           "measurement", "healthcheck", "healthresponse", "healthanswer")  # fmt: skip
ROLES = (
    Role(
        CURATORS,
        (
            CURATE,
            *(f"scorecards.{verb}_{model}" for model in _MODELS for verb in ("view", "change")),
            "scorecards.add_partnerrepresentative",
            "scorecards.delete_partnerrepresentative",
        ),
    ),
    Role(ADMINISTRATORS, ("scorecards.*",)),
)
