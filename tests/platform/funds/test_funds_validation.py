"""One validation for every way in: each rule refuses with the field it concerns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from observatoire.errors import InputError
from observatoire.platform.funds import validation
from observatoire.platform.funds.models import Fund

GRANT = {
    "alliance": "club-ess-urgence-etudiante",
    "form": "financement-direct",
    "description": "Une subvention pour la communication.",
    "amount_eur": "2 500,50",
    "status": "granted",
}


def _refused(data: dict[str, Any], fund: Fund, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        validation.clean_support(data, fund)
    assert caught.value.field == field, caught.value
    assert words in caught.value.message


def test_a_grant_takes_its_defaults_from_the_fiche(content: Fund) -> None:
    data = validation.clean_support(GRANT, content)
    assert data.amount_eur == Decimal("2500.50")
    assert data.beneficiary.startswith("Urgence Étudiante")
    assert data.territory == "200057941"
    assert data.key.startswith("urgence-etudiante-des-places-de-coworking")
    assert data.key.endswith("-financement-direct")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"form": "reseaux"}, "amount_eur", "only direct funding has an amount"),
        ({"amount_eur": None}, "amount_eur", "needs its amount"),
        ({"amount_eur": "-3"}, "amount_eur", "between 0 and"),
        ({"amount_eur": "1,234"}, "amount_eur", "two decimals"),
        ({"amount_eur": "beaucoup"}, "amount_eur", "not an amount"),
        ({"amount_eur": "NaN"}, "amount_eur", "between 0 and"),
        ({"form": "argent"}, "form", "unknown code"),
        ({"description": "x\x00y"}, "description", "NUL"),
        ({"description": "x" * 10_001}, "description", "longer than 10000"),
        ({"alliance": "nulle-part"}, "alliance", "no fiche"),
        ({"territory": "99999"}, "territory", "99999"),
        ({"strand": "volet-9"}, "strand", "no strand"),
        ({"start": "2022", "end": "2021-06"}, "end", "before the start"),
        ({"start": "2021-02-30"}, "start", "does not exist"),
        ({"status": "requested", "published": True}, "published", "never public"),
        (
            {"form": "donnees", "amount_eur": None, "status": "paid"},
            "status",
            "only direct funding",
        ),
        ({"may_be_included_in": "pemb-donnees"}, "may_be_included_in", "direct-funding"),
        ({"may_be_included_in": "pemb-financement-direct"}, "amount_note", "say why"),
        ({"colour": "bleu"}, "colour", "unknown field"),
        ({"objective": "tout"}, "objective", "unknown code"),
        ({"published": "peut-être"}, "published", "true or false"),
    ],
)
def test_support_rules(content: Fund, change: dict[str, Any], field: str, words: str) -> None:
    _refused({**GRANT, **change}, content, field, words)


def test_unknown_amount_needs_a_note_and_inclusion_is_not_mutual(content: Fund) -> None:
    data = validation.clean_support(
        {**GRANT, "amount_eur": None, "amount_note": "Montant non communiqué par le fonds."},
        content,
    )
    assert data.amount_eur is None
    ten = content.supports.get(key="pemb-financement-direct")
    with pytest.raises(InputError, match="include each other"):
        validation.clean_support(
            {
                **GRANT,
                "key": ten.key,
                "may_be_included_in": "club-ess-urgence-etudiante",
                "amount_note": "?",
            },
            content,
            current=ten,
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.org/fonds"}, "url"),
        ({"slug": "instruments"}, "slug"),
        ({"slug": "Pas un slug"}, "slug"),
        ({"sources": [{"title": "Actes", "url": "data:text/html,x"}]}, "sources[1].url"),
        ({"founders": ["x" * 201]}, "founders"),
        ({"endowment_eur": True}, "endowment_eur"),
        ({"created_year": 1789}, "created_year"),
        ({"name": ""}, "name"),
    ],
)
def test_fund_rules(db: None, change: dict[str, Any], field: str) -> None:
    data = {"name": "Fonds test", "summary": "Un fonds.", "url": "https://example.org/", **change}
    with pytest.raises(InputError) as caught:
        validation.clean_fund(data)
    assert caught.value.field == field, caught.value


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kinds": []}, "kinds"),
        ({"kinds": ["don"]}, "kinds"),
        ({"actor_types": ["martiens"]}, "actor_types"),
        ({"stages": ["maturite"]}, "stages"),
        ({"territories": ["FR", "00000"]}, "territories[2]"),
        (
            {"eligibility": [{"criterion": "age_years", "op": ">", "value": 3, "label": "3 ans"}]},
            "eligibility[1]",
        ),
        (
            {"eligibility": [{"criterion": "taille", "op": "==", "value": 1, "label": "?"}]},
            "eligibility[1]",
        ),
        ({"eligibility": [{"criterion": "fte", "op": ">=", "value": 5}]}, "eligibility[1]"),
        (
            {
                "eligibility": [
                    {
                        "any": [{"criterion": "fte", "op": ">=", "value": 5, "label": "5 ETP"}],
                        "label": "un seul",
                    }
                ]
            },
            "eligibility[1]",
        ),
        ({"fund": "inconnu"}, "fund"),
        ({"availability": "peut-etre"}, "availability"),
        ({"last_checked": "hier"}, "last_checked"),
    ],
)
def test_instrument_rules(db: None, change: dict[str, Any], field: str) -> None:
    data = {
        "name": "Instrument test",
        "operator": "Un opérateur",
        "kinds": ["subvention"],
        "summary": "Un instrument.",
        **change,
    }
    with pytest.raises(InputError) as caught:
        validation.clean_instrument(data)
    assert caught.value.field == field, caught.value


def test_evaluation_rules(content: Fund) -> None:
    with pytest.raises(InputError) as caught:
        validation.clean_evaluation({"title": "Bilan", "mobilised_eur": 30000}, content)
    assert caught.value.field == "leverage_basis"
    with pytest.raises(InputError) as caught:
        validation.clean_evaluation({"title": "Bilan", "alliance": "fonds-odd-17"}, content)
    assert caught.value.field == "alliance"  # the fund gave that fiche nothing
    with pytest.raises(InputError) as caught:
        validation.clean_evaluation({"title": "Bilan", "lessons": [{"texte": "?"}]}, content)
    assert caught.value.field == "lessons[1]"
