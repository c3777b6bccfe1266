"""Fixtures of the directory of support actors: structures saved like any entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support_samples import DIRECTORY


@pytest.fixture
def make_structure(db: None) -> Callable[..., Any]:
    """Save a structure from plain data (validated like any entry), published unless told."""
    from observatoire.platform.support import records
    from observatoire.platform.support.validation import clean_structure

    def make(data: dict[str, Any], state: str = "published", source: str = "test") -> Any:
        structure, _ = records.save_structure(clean_structure(data), source=source, state=state)
        return structure

    return make


@pytest.fixture
def directory(make_structure: Callable[..., Any]) -> dict[str, Any]:
    """The small directory of support_samples, published, keyed by import id."""
    return {data["import_id"]: make_structure(data) for data in DIRECTORY}


def _user(name: str, group: str | None, **flags: Any) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, password="motdepasse-solide-1", **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def contributor(db: None) -> Any:
    from observatoire.platform.support.roles import CONTRIBUTORS

    return _user("camille", CONTRIBUTORS)


@pytest.fixture
def other_contributor(db: None) -> Any:
    from observatoire.platform.support.roles import CONTRIBUTORS

    return _user("dominique", CONTRIBUTORS)


@pytest.fixture
def curator(db: None) -> Any:
    from observatoire.platform.support.roles import CURATORS

    return _user("claude", CURATORS, is_staff=True)


@pytest.fixture
def bearer() -> Callable[[Any], dict[str, str]]:
    """Headers carrying a new API token of the user."""
    from observatoire.platform.accounts import tokens

    def headers(user: Any) -> dict[str, str]:
        _, key = tokens.issue(user)
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return headers
