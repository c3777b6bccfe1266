"""Fair daily rotation among equally relevant services (as DORA does): fixed for a day, each
service first about as often as the others over time, independent of the rest of the list."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from support_samples import structure

from observatoire.platform.support.orientation import clean_query, orient

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 1, 1)


@pytest.fixture
def three_equals(make_structure: Any) -> None:
    for name in ("alpha", "beta", "gamma"):
        make_structure(
            structure(
                name,
                "catalyseur-territorial",
                service={"zones": ["DEP-94"], "support_forms": ["reseaux"]},
            )
        )


def _order(day: datetime.date) -> list[str]:
    query = clean_query(actor_type="collectivites", commune="94018", needs=["reseaux"])
    return [s.structure_name for s in orient(query, day=day).suggestions]


def test_the_order_holds_all_day_and_changes_across_days(three_equals: None) -> None:
    orders = [_order(START + datetime.timedelta(days=d)) for d in range(10)]
    assert _order(START) == orders[0]  # same day, same order
    assert len({tuple(o) for o in orders}) > 1


def test_each_service_leads_about_as_often_over_a_quarter(three_equals: None) -> None:
    firsts = Counter(_order(START + datetime.timedelta(days=d))[0] for d in range(90))
    assert set(firsts) == {"Structure alpha", "Structure beta", "Structure gamma"}
    # 30 expected each; the hash of (day, service) is fixed, so this cannot flake.
    assert min(firsts.values()) >= 20, firsts


def test_relative_order_does_not_depend_on_the_other_services(
    three_equals: None, make_structure: Any
) -> None:
    before = [n for n in _order(START) if n != "Structure delta"]
    make_structure(
        structure(
            "delta",
            "catalyseur-territorial",
            service={"zones": ["DEP-94"], "support_forms": ["reseaux"]},
        )
    )
    after = _order(START)
    assert "Structure delta" in after
    assert [n for n in after if n != "Structure delta"] == before


def test_rotation_never_overrides_relevance(three_equals: None, make_structure: Any) -> None:
    make_structure(
        structure(
            "local",
            "catalyseur-territorial",
            service={"zones": ["94018"], "support_forms": ["reseaux"]},
        )
    )
    for d in range(20):
        assert _order(START + datetime.timedelta(days=d))[0] == "Structure local"  # closest zone
