"""The funds' roles (groups made by `accounts.roles` after every migrate).

Curators see every fund, request and evaluation; fund managers reach the admin pages of funds,
supports, evaluations and instruments, where `admin` narrows every list and every write to the
funds they manage (`Fund.managers`); administrators manage all of it.
"""

from __future__ import annotations

from observatoire.platform.accounts.roles import ADMINISTRATORS, Role
from observatoire.platform.alliances.roles import CURATORS

FUND_MANAGERS = "Gestionnaires de fonds"
_VIEW = (
    "funds.view_fund",
    "funds.view_strand",
    "funds.view_support",
    "funds.view_evaluation",
    "funds.view_instrument",
)
ROLES = (
    Role(CURATORS, (*_VIEW, "funds.see_all_funds")),
    Role(
        FUND_MANAGERS,
        (
            *_VIEW,
            "funds.change_fund",
            "funds.add_strand",
            "funds.change_strand",
            "funds.add_support",
            "funds.change_support",
            "funds.add_evaluation",
            "funds.change_evaluation",
            "funds.add_instrument",
            "funds.change_instrument",
        ),
    ),
    Role(ADMINISTRATORS, ("funds.*",)),
)
