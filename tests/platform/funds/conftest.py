"""Fixtures for the funds: the shipped content (with the fiches it refers to) and users by role."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

# The fiches of the base that the shipped funds content refers to.
REFERRED_FICHES = (
    "paris-est-marne-bois-agir-ensemble",
    "charenton-fonds-soutien-entreprises-covid",
    "club-ess-urgence-etudiante",
    "fonds-odd-17",
    "banque-des-territoires-fonds-i",
    "banque-des-territoires-cercle-investisseurs-impact-social",
)


@cache
def _seed_fiches() -> tuple[Any, ...]:
    from observatoire.platform.alliances.content import read_seed

    return tuple(f for f in read_seed() if f.import_id in REFERRED_FICHES)


@pytest.fixture
def fiches(db: None) -> dict[str, Any]:
    """The referred seed fiches, published, by slug."""
    from observatoire.platform.alliances import records

    saved = [records.save_fiche(f, source="seed", state="published")[0] for f in _seed_fiches()]
    return {a.slug: a for a in saved}


@pytest.fixture
def content(fiches: dict[str, Any]) -> Any:
    """The shipped funds and instruments, loaded as `observatoire demo` does; the Fonds ODD 17."""
    from observatoire.platform.funds.content import load_content
    from observatoire.platform.funds.models import Fund

    load_content()
    return Fund.objects.get(slug="fonds-odd-17")


def _user(name: str, group: str | None = None, **flags: Any) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, password="motdepasse-solide-1", **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def manager(content: Any) -> Any:
    """A manager of the Fonds ODD 17 (staff, in the fund managers' group, for the admin)."""
    user = _user("morgane", "Gestionnaires de fonds", is_staff=True)
    content.managers.add(user)
    return user


@pytest.fixture
def other_manager(db: None) -> Any:
    """A manager of another fund, who must not touch the Fonds ODD 17."""
    from observatoire.platform.funds.models import Fund

    user = _user("octave", "Gestionnaires de fonds", is_staff=True)
    other = Fund.objects.create(slug="autre-fonds", name="Autre fonds", summary="Un autre fonds.")
    other.managers.add(user)
    return user


@pytest.fixture
def curator(db: None) -> Any:
    return _user("claude", "Curateurs", is_staff=True)


@pytest.fixture
def visitor(db: None) -> Any:
    return _user("victor")
