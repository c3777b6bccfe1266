"""Fixtures for the base of alliances: fiches built in the tests and users by role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alliance_samples import ENERGIE, NATIONAL, VITAWIN


@pytest.fixture
def make_fiche(db: None) -> Callable[..., Any]:
    """Save a fiche from plain data (validated like any import), published unless told."""
    from observatoire.platform.alliances import records
    from observatoire.platform.alliances.validation import clean_fiche

    def make(data: dict[str, Any], state: str = "published", owner: Any = None, **changes: Any):  # type: ignore[no-untyped-def]
        alliance, _ = records.save_fiche(
            clean_fiche({**data, **changes}), source="test", state=state, owner=owner
        )
        return alliance

    return make


@pytest.fixture
def base(make_fiche: Callable[..., Any]) -> dict[str, Any]:
    return {
        "vitawin": make_fiche(VITAWIN),
        "energie": make_fiche(ENERGIE),
        "national": make_fiche(NATIONAL),
    }


def _user(name: str, group: str | None, **flags: Any) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, password="motdepasse-solide-1", **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def contributor(db: None) -> Any:
    return _user("camille", "Contributeurs")


@pytest.fixture
def other_contributor(db: None) -> Any:
    return _user("dominique", "Contributeurs")


@pytest.fixture
def curator(db: None) -> Any:
    return _user("claude", "Curateurs", is_staff=True)
