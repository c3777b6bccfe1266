"""One validation for every way in: text limits and NUL bytes, links, numbers, codes, rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from observatoire.errors import InputError
from observatoire.platform.scorecards import validation
from observatoire.platform.scorecards.validation import IndicatorRule

RULES = {
    "personnes-touchees": IndicatorRule("personnes-touchees", "personnes", "", "flux", True),
    "partenaires-par-type": IndicatorRule(
        "partenaires-par-type", "organisations", "actor_types", "stock", True
    ),
    "abandonne": IndicatorRule("abandonne", "nombre", "", "flux", False),
}
ROW = {
    "indicator": "personnes-touchees",
    "date": "2023-06-30",
    "value": "250",
    "confidence": "declaratif",
    "source": "Rapport annuel",
}


def test_text_refuses_nul_bytes_and_says_the_limit() -> None:
    with pytest.raises(InputError, match="field 'source': contains a NUL byte"):
        validation.text({"source": "ab\x00c"}, "source")
    with pytest.raises(InputError, match="longer than 500 characters"):
        validation.text({"source": "x" * 501}, "source")
    assert validation.text({"source": "  Rapport  "}, "source") == "Rapport"


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/a", "https://", "//x.org"]
)
def test_links_are_http_or_https_only(link: str) -> None:
    with pytest.raises(InputError, match="http:// or https://"):
        validation.url({"source_url": link}, "source_url")


def test_numbers_accept_french_writing_and_refuse_the_rest() -> None:
    assert validation.number({"v": "1 234,5"}, "v") == Decimal("1234.5")
    assert validation.number({"v": "1\u202f234"}, "v") == Decimal("1234")
    assert validation.number({"v": 3.25}, "v") == Decimal("3.25")
    for bad in ("deux", "NaN", "inf", "1e20", True):
        with pytest.raises(InputError, match="field 'v'"):
            validation.number({"v": bad}, "v")


def test_sdg_targets_are_checked() -> None:
    assert validation.sdg_target({"sdg_target": "17.17"}) == "17.17"
    assert validation.sdg_target({"sdg_target": "4.A"}) == "4.a"
    for bad in ("18.1", "4", "4.1.2", "0.1"):
        with pytest.raises(InputError, match="SDG target"):
            validation.sdg_target({"sdg_target": bad})


def test_an_asset_takes_its_pillar_from_its_kind() -> None:
    asset = validation.clean_asset({"kind": "mecenat-competences", "description": "Juristes"}, [])
    assert asset.pillar == "richesses-humaines"
    with pytest.raises(InputError, match="belongs to the pillar 'richesses-humaines'"):
        validation.clean_asset(
            {"kind": "benevolat", "pillar": "ressources-financieres", "description": "x"}, []
        )
    with pytest.raises(InputError, match="say how the euro value was obtained"):
        validation.clean_asset({"kind": "subvention", "description": "x", "value_eur": "10"}, [])
    with pytest.raises(InputError, match="not a partner of this alliance"):
        validation.clean_asset({"kind": "lieux", "description": "x", "partner": "Inconnu"}, ["A"])


def test_a_common_indicator_keeps_its_shared_definition() -> None:
    data = validation.clean_indicator(
        {"code": "personnes-touchees", "target": "300", "target_date": "2025-06-30"}
    )
    assert (data.is_common, data.unit, data.level, data.perspective) == (
        True,
        "personnes",
        "realisation",
        "enjeux",
    )
    with pytest.raises(InputError, match="has unit 'personnes', not 'heures'"):
        validation.clean_indicator({"code": "personnes-touchees", "unit": "heures"})


def test_a_specific_indicator_declares_what_it_measures() -> None:
    with pytest.raises(InputError, match="field 'name': is required"):
        validation.clean_indicator({"code": "stages", "unit": "personnes"})
    with pytest.raises(InputError, match="target needs its date"):
        validation.clean_indicator(
            {
                "code": "stages",
                "name": "Stages",
                "perspective": "enjeux",
                "level": "realisation",
                "unit": "personnes",
                "target": 5,
            }
        )


def test_a_measurement_agrees_with_its_indicator() -> None:
    data = validation.clean_measurement(ROW, RULES)
    assert (data.date, data.value) == (datetime.date(2023, 6, 30), Decimal("250"))
    cases = {
        "unknown indicator 'inconnu'": {"indicator": "inconnu"},
        "marked as not tracked": {"indicator": "abandonne"},
        "unit is 'personnes', not 'heures'": {"unit": "heures"},
        "has no breakdown": {"breakdown": "entreprises"},
        "cannot be negative": {"value": "-3"},
        "starts after its end date": {"period_start": "2023-07-01"},
        "unknown code 'bof'": {"confidence": "bof"},
        "field 'source': is required": {"source": " "},
        "not a date": {"date": "30/06/2023"},
    }
    for message, change in cases.items():
        with pytest.raises(InputError, match=message):
            validation.clean_measurement({**ROW, **change}, RULES)
    stock = {**ROW, "indicator": "partenaires-par-type", "breakdown": "entreprises"}
    assert validation.clean_measurement(stock, RULES).breakdown_code == "entreprises"
    with pytest.raises(InputError, match="a stock is measured at a date"):
        validation.clean_measurement({**stock, "period_start": "2023-01-01"}, RULES)


def test_health_answers_are_ratings_from_one_to_five() -> None:
    answers = {
        "apport": "4",
        "benefices": "3",
        "equilibre": "2",
        "confiance": "5",
        "gouvernance": "1",
        "confiance_comment": "Très bonne",
    }
    cleaned = validation.clean_health_answers(answers)
    assert [(a.item, a.rating) for a in cleaned][3] == ("confiance", 5)
    assert cleaned[3].comment == "Très bonne"
    with pytest.raises(InputError, match="field 'apport': '6' is not a rating from 1 to 5"):
        validation.clean_health_answers({**answers, "apport": "6"})
    with pytest.raises(InputError, match="field 'gouvernance': is required"):
        validation.clean_health_answers({k: v for k, v in answers.items() if k != "gouvernance"})
