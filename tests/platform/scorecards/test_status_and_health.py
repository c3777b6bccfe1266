"""Status against targets and partnership health: the colour rules stated on the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from observatoire.platform.scorecards import health, records, status, validation
from observatoire.platform.scorecards.models import Indicator, Measurement


def _indicator(**fields: Any) -> Indicator:
    return Indicator(**{"code": "x", "name": "x", "unit": "personnes", **fields})


def _at(day: str, value: str, breakdown: str = "") -> Measurement:
    return Measurement(
        date=datetime.date.fromisoformat(day), value=Decimal(value), breakdown_code=breakdown
    )


PLAN = {
    "baseline": Decimal(100),
    "baseline_date": datetime.date(2022, 1, 1),
    "target": Decimal(200),
    "target_date": datetime.date(2024, 1, 1),
}


@pytest.mark.parametrize(
    ("day", "value", "colour", "label"),
    [
        ("2023-01-01", "160", "vert", "en bonne voie"),  # half the time, 60 % of the way
        ("2023-01-01", "140", "orange", "à surveiller"),  # 40 % ≥ 0.75 × 50 %
        ("2023-01-01", "130", "rouge", "en retard"),  # 30 % < 37.5 %
        ("2023-06-01", "210", "vert", "cible atteinte"),
        ("2024-01-01", "190", "rouge", "échéance passée, cible non atteinte"),
    ],
)
def test_progress_against_the_time_elapsed(day: str, value: str, colour: str, label: str) -> None:
    result = status.assess(_indicator(**PLAN), [_at("2022-06-01", "120"), _at(day, value)])
    assert (result.colour, str(result.label)) == (colour, label)


def test_a_decrease_target_reads_the_other_way() -> None:
    plan = {**PLAN, "baseline": Decimal(50), "target": Decimal(30)}
    assert status.assess(_indicator(**plan), [_at("2023-01-01", "38")]).colour == "vert"
    assert status.assess(_indicator(**plan), [_at("2023-01-01", "47")]).colour == "rouge"


def test_grey_when_there_is_nothing_to_compare() -> None:
    assert str(status.assess(_indicator(**PLAN), []).label) == "pas encore de mesure"
    no_target = status.assess(_indicator(), [_at("2023-01-01", "5")])
    assert (no_target.colour, no_target.latest) == ("gris", Decimal(5))
    assert status.assess(_indicator(skipped_reason="hors champ"), []).colour == "gris"


def test_without_baseline_only_reached_or_not() -> None:
    plan = {"target": Decimal(10), "target_date": datetime.date(2024, 1, 1)}
    assert status.assess(_indicator(**plan), [_at("2023-01-01", "12")]).colour == "vert"
    assert status.assess(_indicator(**plan), [_at("2023-01-01", "8")]).colour == "orange"


def test_latest_value_of_a_breakdown_is_its_sum_when_it_adds_up() -> None:
    rows = [
        _at("2023-01-01", "3", "entreprises"),
        _at("2023-01-01", "2", "associations"),
        _at("2022-01-01", "9", "entreprises"),
    ]
    assert status.latest(_indicator(unit="organisations"), rows) == (
        Decimal(5),
        datetime.date(2023, 1, 1),
    )
    assert status.latest(_indicator(unit="ratio"), rows)[0] is None


@pytest.mark.parametrize(
    ("ratings", "colour"),
    [
        ([4, 5, 4], "vert"),
        ([3, 4, 5], "orange"),
        ([2, 3, 3], "orange"),
        ([1, 4], "rouge"),
        ([2, 2, 1], "rouge"),
        ([5], "gris"),
        ([], "gris"),
    ],
)
def test_divergence_rules(ratings: list[int], colour: str) -> None:
    assert health.divergence(ratings)[0] == colour


ANSWERS = {"apport": "4", "benefices": "4", "equilibre": "4", "confiance": "4", "gouvernance": "4"}


@pytest.mark.django_db
def test_round_result_sets_each_partner_view_side_by_side(scorecard: Any) -> None:
    check = records.open_health_check(scorecard, "Bilan 2023", None)
    partners = list(scorecard.alliance.partners.all())
    records.answer_health_check(check, partners[0], validation.clean_health_answers(ANSWERS), None)
    records.answer_health_check(
        check,
        partners[1],
        validation.clean_health_answers(
            {**ANSWERS, "equilibre": "1", "equilibre_comment": "Nous donnons plus"}
        ),
        None,
    )
    result = health.round_result(check)
    by_item = {item.item: item for item in result.items}
    assert by_item["apport"].colour == "vert"
    assert by_item["equilibre"].colour == "rouge" and by_item["equilibre"].spread == 3
    assert [v.comment for v in by_item["equilibre"].views] == ["", "Nous donnons plus"]
    assert [p.name for p in result.waiting] == ["Collège Jean Moulin"]
    # answering again replaces the partner's answers
    records.answer_health_check(check, partners[1], validation.clean_health_answers(ANSWERS), None)
    assert health.round_result(check).items[2].colour == "vert"


@pytest.mark.django_db
def test_aggregates_publish_a_cell_only_from_ten_answers(make_fiche: Any) -> None:
    for n in range(10):
        fiche = make_fiche(import_id=f"a{n}")
        check = records.open_health_check(records.scorecard_for(fiche), "2023", None)
        for partner in fiche.partners.all():
            rating = "5" if n % 2 else "3"
            answers = {item: rating for item in ANSWERS}
            if partner.actor_type == "etat" and n == 9:
                continue  # the State's cell stays at 9 answers
            records.answer_health_check(
                check, partner, validation.clean_health_answers(answers), None
            )
    cells = {(c.actor_type, c.item): c for c in health.aggregates()}
    companies = cells[("entreprises", "confiance")]
    assert companies.n == 10 and companies.mean == pytest.approx(4.0)
    assert companies.ci_low is not None and companies.ci_low < 4.0 < companies.ci_high  # type: ignore[operator]
    state = cells[("etat", "confiance")]
    assert state.n == 9 and state.mean is None
