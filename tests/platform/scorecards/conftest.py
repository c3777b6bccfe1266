"""Fixtures of the scorecards: a fiche with three partners, its scorecard, and users by role."""

from __future__ import annotations

from typing import Any

import pytest
from scorecard_samples import FICHE, make_user


@pytest.fixture(autouse=True)
def french() -> Any:
    """Labels and messages in French, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture
def make_fiche(db: None) -> Any:
    from observatoire.platform.alliances import records
    from observatoire.platform.alliances.validation import clean_fiche

    def make(state: str = "published", **changes: Any) -> Any:
        data = clean_fiche({**FICHE, **changes})
        return records.save_fiche(data, source="test", state=state)[0]

    return make


@pytest.fixture
def fiche(make_fiche: Any) -> Any:
    return make_fiche()


@pytest.fixture
def scorecard(fiche: Any) -> Any:
    from observatoire.platform.scorecards import records

    return records.scorecard_for(fiche)


@pytest.fixture
def partner_user(fiche: Any) -> Any:
    """A user acting for the "Club d'entreprises" partner of the fiche."""
    from observatoire.platform.scorecards import records

    user = make_user("club")
    records.grant(fiche, fiche.partners.get(name="Club d'entreprises"), user, None)
    return user


@pytest.fixture
def stranger(db: None) -> Any:
    return make_user("inconnu")


@pytest.fixture
def curator(db: None) -> Any:
    return make_user("curatrice", curator=True)


@pytest.fixture
def add_indicator(scorecard: Any) -> Any:
    """Add an indicator to the scorecard from plain data, validated like any entry."""
    from observatoire.platform.scorecards import records, validation

    def add(**fields: Any) -> Any:
        return records.save_indicator(scorecard, validation.clean_indicator(fields), None)

    return add
