"""Roll-ups add only what adds up, say what was left out, and read published scorecards only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from observatoire.errors import InputError
from observatoire.platform.scorecards import measurement_files, records, rollups, validation
from observatoire.platform.scorecards.rollups import Filters

HEADER = "indicator,breakdown,period_start,date,value,confidence,source\n"


def _card(make_fiche: Any, name: str, rows: str, *, public: bool = True, **fiche: Any) -> Any:
    scorecard = records.scorecard_for(make_fiche(import_id=name, title=name, **fiche))
    visibility = "public" if public else "partners"
    records.update_settings(scorecard, validation.SettingsData(visibility), None)
    for code in ("personnes-touchees", "partenaires-par-type", "effet-levier"):
        records.save_indicator(scorecard, validation.clean_indicator({"code": code}), None)
    records.save_indicator(
        scorecard,
        validation.clean_indicator(
            {
                "code": "stages",
                "name": "Stages",
                "perspective": "enjeux",
                "level": "realisation",
                "unit": "personnes",
            }
        ),
        None,
    )
    report = measurement_files.import_measurements(
        scorecard, "m.csv", (HEADER + rows).encode(), None
    )
    assert report.error_count == 0, report.lines()
    return scorecard


@pytest.fixture
def cards(make_fiche: Any) -> None:
    _card(
        make_fiche,
        "A",
        "personnes-touchees,,2023-01-01,2023-06-30,100,mesure,S\n"
        "personnes-touchees,,2023-07-01,2023-12-31,50,mesure,S\n"
        "partenaires-par-type,entreprises,,2023-03-31,3,declaratif,S\n"
        "partenaires-par-type,entreprises,,2023-12-31,4,declaratif,S\n"
        "partenaires-par-type,associations,,2023-12-31,2,declaratif,S\n"
        "effet-levier,,,2023-12-31,3.5,declaratif,S\n"
        "stages,,,2023-12-31,9,mesure,S\n",
    )
    _card(
        make_fiche,
        "B",
        "personnes-touchees,,,2023-12-31,25,audite,S\n"
        "partenaires-par-type,,,2023-12-31,6,declaratif,S\n"
        "personnes-touchees,,,2022-12-31,999,audite,S\n",
        territories=["13055"],
        objectives=["innovation-societale"],
    )
    _card(make_fiche, "Private", "personnes-touchees,,,2023-12-31,100000,mesure,S\n", public=False)


@pytest.mark.django_db
def test_only_the_same_common_indicator_in_an_additive_unit_is_added(cards: None) -> None:
    result = rollups.rollup(Filters())
    assert (result.year, result.years, result.alliances) == (2023, [2023, 2022], 2)
    lines = {(line.code, line.breakdown): line for line in result.lines}
    # a flow sums its periods of the year, across alliances: 100 + 50 + 25
    assert lines[("personnes-touchees", "")].total == Decimal(175)
    # a stock takes its last value of the year: 4 companies (not 3 + 4); B's 6 has no breakdown
    assert lines[("partenaires-par-type", "entreprises")].total == Decimal(4)
    assert lines[("partenaires-par-type", "")].total == Decimal(12)
    assert ("effet-levier", "") not in lines and ("stages", "") not in lines
    left = [(entry.label, entry.reason, entry.alliances) for entry in result.left_out]
    assert ("Effet de levier", "Ratio : ne s'additionne pas", ["A"]) in left
    assert ("Effet de levier", "suivi sans mesure en 2023", ["B"]) in left
    assert (
        "Indicateurs spécifiques",
        "propres à chaque alliance : leurs définitions diffèrent",
        ["A"],
    ) in left
    assert all("Private" not in entry.alliances for entry in result.left_out)


@pytest.mark.django_db
def test_filters_by_territory_objective_and_year(cards: None) -> None:
    marseille = rollups.rollup(Filters(territory="REG-93").clean())
    assert marseille.alliances == 1
    assert rollups.rollup(Filters(objective="innovation-societale").clean()).alliances == 1
    past = rollups.rollup(Filters(year=2022))
    assert [(line.code, line.total) for line in past.lines] == [
        ("personnes-touchees", Decimal(999))
    ]
    groups = rollups.grouped(Filters(group="region").clean())
    assert [(code, r.alliances) for code, _, r in groups] == [("REG-11", 1), ("REG-93", 1)]


def test_bad_filters_say_which() -> None:
    with pytest.raises(InputError, match="field 'objective'"):
        Filters(objective="<script>").clean()
    with pytest.raises(InputError, match="field 'year'"):
        Filters(year=99999).clean()
    with pytest.raises(InputError, match="field 'territory'"):
        Filters(territory="zzz").clean()
