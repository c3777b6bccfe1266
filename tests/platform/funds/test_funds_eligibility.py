"""Eligibility rules as data, evaluated with three values, and the orientation's service."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.errors import InputError
from observatoire.platform.funds import eligibility
from observatoire.platform.funds.instruments import eligible
from observatoire.platform.funds.models import Fund, Instrument

SIZE = {
    "any": [
        {"criterion": "revenue_eur", "op": ">=", "value": 500_000, "label": "500 k€"},
        {"criterion": "fte", "op": ">=", "value": 5, "label": "5 ETP"},
    ],
    "label": "Budget d'au moins 500 k€ ou 5 salariés",
}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, None),
        ({"fte": 2}, None),
        ({"fte": 6}, True),
        ({"fte": 2, "revenue_eur": 100_000}, False),
        ({"revenue_eur": 600_000}, True),
    ],
)
def test_any_group_is_three_valued(facts: dict[str, Any], expected: bool | None) -> None:
    rule = eligibility.clean_rule(SIZE)
    assert eligibility.evaluate(rule, eligibility.clean_facts(facts)) is expected


def test_all_group_and_boolean_criteria() -> None:
    rule = eligibility.clean_rule(
        {
            "all": [
                {"criterion": "age_years", "op": ">=", "value": 3, "label": "3 ans"},
                {"criterion": "scaling_ambition", "op": "==", "value": True, "label": "essaimer"},
            ],
            "label": "Structure établie qui veut essaimer",
        }
    )
    assert eligibility.evaluate(rule, {"age_years": 4.0}) is None
    assert eligibility.evaluate(rule, {"age_years": 1.0}) is False
    assert eligibility.evaluate(rule, {"age_years": 4.0, "scaling_ambition": True}) is True


@pytest.mark.parametrize(
    "facts", [{"taille": 3}, {"fte": "beaucoup"}, {"fte": -1}, {"scaling_ambition": "oui"}]
)
def test_facts_are_typed(facts: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        eligibility.clean_facts(facts)


def test_groups_are_bounded() -> None:
    deep: dict[str, Any] = {"criterion": "fte", "op": ">=", "value": 1, "label": "1"}
    for _ in range(4):
        deep = {"any": [deep, deep], "label": "x"}
    with pytest.raises(InputError, match="nested"):
        eligibility.clean_rule(deep)


def test_an_association_that_wants_to_scale_is_offered_fonds_i_with_its_reasons(
    content: Fund,
) -> None:
    found = eligible(
        "associations",
        stage="deploiement",
        need="ingenierie",
        territory="94018",
        facts={"scaling_ambition": True, "multi_actor": True},
    )
    by_slug = {m.slug: m for m in found}
    assert set(by_slug) == {"fonds-i", "fonds-odd-17"}  # the Cercle is for investors
    fonds_i = by_slug["fonds-i"]
    assert "Étape visée : Déploiement" in fonds_i.reasons
    assert "Apporte : Apport en ingénierie" in fonds_i.reasons
    assert fonds_i.to_check == ("Disponibilité à vérifier auprès de l'opérateur",)
    assert fonds_i.status == "to-check" and fonds_i.page == "/fonds/instruments/fonds-i/"
    assert "Territoire couvert : France" in by_slug["fonds-odd-17"].reasons


def test_unknown_facts_become_conditions_and_false_ones_exclude(content: Fund) -> None:
    unsure = {m.slug: m for m in eligible("associations", need="ingenierie")}
    assert any("changer d'échelle" in c for c in unsure["fonds-i"].to_check)
    assert "fonds-i" not in {
        m.slug for m in eligible("associations", facts={"scaling_ambition": False})
    }
    assert {m.slug for m in eligible("investisseurs", need="reseaux")} == {
        "fonds-odd-17",
        "cercle-des-investisseurs-a-impact-social",
    }
    placed = eligible("citoyens", stage="emergence", need="reseaux", territory="REG-11")
    anywhere = eligible("citoyens", stage="emergence", need="reseaux")
    assert [m.slug for m in placed] == [m.slug for m in anywhere] == ["fonds-odd-17"]
    assert "Territoire couvert : France" in placed[0].reasons
    assert "Territoire couvert : France" not in anywhere[0].reasons


def test_closed_and_unpublished_instruments_are_not_offered(content: Fund) -> None:
    Instrument.objects.filter(slug="fonds-i").update(availability="closed")
    Instrument.objects.filter(slug="fonds-odd-17").update(published=False)
    assert {m.slug for m in eligible()} == {"cercle-des-investisseurs-a-impact-social"}


def test_territory_scope(content: Fund) -> None:
    Instrument.objects.filter(slug="fonds-i").update(territories=["REG-84"])
    assert "fonds-i" not in {m.slug for m in eligible(territory="94018")}
    assert "fonds-i" in {m.slug for m in eligible(territory="69123")}
    assert "fonds-i" in {m.slug for m in eligible()}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"actor_type": "martiens"}, "actor_type"),
        ({"stage": "adolescence"}, "stage"),
        ({"need": "argent"}, "need"),
        ({"territory": "00000"}, "territory"),
        ({"facts": {"taille": 1}}, "taille"),
    ],
)
def test_bad_arguments_name_themselves(db: None, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        eligible(**kwargs)
    assert caught.value.field == field


def test_several_needs_keep_what_provides_any(content: Fund) -> None:
    found = {m.slug: m for m in eligible("associations", need=["ingenierie", "donnees"])}
    assert set(found) == {"fonds-i", "fonds-odd-17"}
    assert "Apporte : Apport en ingénierie, Données" in found["fonds-odd-17"].reasons
    assert "Apporte : Apport en ingénierie" in found["fonds-i"].reasons
    with pytest.raises(InputError):
        eligible(need=["ingenierie", "argent"])
