"""Stakes proposed from the region's published fragilities; history of every write; partners
keep their identity (and their representatives) when the fiche is edited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from results_samples import publish_all
from scorecard_samples import FICHE

from observatoire.platform.alliances import records as fiche_records
from observatoire.platform.alliances.validation import clean_fiche
from observatoire.platform.scorecards import proposals, records, validation
from observatoire.platform.scorecards.models import (
    Asset,
    Measurement,
    PartnerRepresentative,
)
from observatoire.results_contract import SCHEMA

FRAGILITIES = ("sante", "education", "emploi", "mobilite", "culture-loisirs")
MEANS = {
    "11": dict(zip(FRAGILITIES, (5.1, 6.2, 5.9, 6.0, 4.0), strict=True)),
    "FR": dict(zip(FRAGILITIES, (5.7, 5.3, 5.5, 5.3, 4.9), strict=True)),
}


@pytest.fixture
def published(tmp_path: Path, db: None) -> None:
    rows = []
    for area, means in MEANS.items():
        for position, (item, mean) in enumerate(means.items(), start=20):
            rows.append(
                {
                    "study": "s",
                    "wave": "2022",
                    "population": "citoyens",
                    "versus": None,
                    "question": f"Q3.{item}",
                    "indicator": "mean",
                    "category": None,
                    "territory": area,
                    "profile": None,
                    "profile_level": None,
                    "position": position,
                    "estimate": None if item == "mobilite" else mean,
                    "se": 0.1,
                    "ci_low": mean - 0.2,
                    "ci_high": mean + 0.2,
                    "n": 200,
                    "weighted_n": 1e6,
                    "flag": "suppressed" if item == "mobilite" else None,
                    "question_label": f"Fragilités : {item}",
                    "category_label": None,
                }
            )
    folder = tmp_path / "s"
    folder.mkdir()
    pl.DataFrame(rows, schema=SCHEMA).write_parquet(folder / "results.parquet")
    meta = {
        "study": "s",
        "title": "Étude",
        "synthetic": True,
        "notice": "Données synthétiques.",
        "waves": [{"id": "2022", "year": 2022}],
    }
    (folder / "results.json").write_text(json.dumps(meta), encoding="utf-8")
    publish_all(tmp_path)


@pytest.mark.django_db
def test_stakes_are_proposed_from_the_regions_top_fragilities(published: None, fiche: Any) -> None:
    found = proposals.propose(fiche)
    # Île-de-France (the EPT's region), highest mean first, the suppressed figure left out
    assert [p.fragility for p in found] == ["education", "emploi", "sante"]
    evidence = found[0].evidence
    assert (evidence["area_name"], evidence["rank"], evidence["mean"], evidence["n"]) == (
        "Île-de-France",
        1,
        6.2,
        200,
    )
    assert evidence["synthetic"] and evidence["notice"] == "Données synthétiques."
    # an adopted fragility is not proposed again
    scorecard = records.scorecard_for(fiche)
    data = validation.clean_stake(
        {
            "statement": "Éducation",
            "fragility": "education",
            "territory": found[0].territory,
            "evidence": evidence,
        }
    )
    records.save_stake(scorecard, data, None)
    assert [p.fragility for p in proposals.propose(fiche)] == ["emploi", "sante", "culture-loisirs"]


@pytest.mark.django_db
def test_a_national_fiche_gets_the_national_ranking(published: None, make_fiche: Any) -> None:
    national = make_fiche(import_id="nat", territories=["FR"])
    assert [p.fragility for p in proposals.propose(national)][:2] == ["sante", "emploi"]


@pytest.mark.django_db
def test_no_published_study_no_proposal(fiche: Any) -> None:
    assert proposals.propose(fiche) == []


@pytest.mark.django_db
def test_every_write_is_in_the_history_with_its_author(scorecard: Any, partner_user: Any) -> None:
    records.save_indicator(
        scorecard, validation.clean_indicator({"code": "personnes-touchees"}), partner_user
    )
    row = validation.clean_measurement(
        {
            "indicator": "personnes-touchees",
            "date": "2023-06-30",
            "value": "10",
            "confidence": "mesure",
            "source": "Bilan",
        },
        records.rules(scorecard),
    )
    records.save_measurements(scorecard, [row], partner_user)
    row.value = row.value + 5
    records.save_measurements(scorecard, [row], partner_user)
    measurement = Measurement.objects.get()
    records.delete(measurement, partner_user)
    history = list(Measurement.history.order_by("history_date"))
    assert [(h.history_type, h.value, h.history_user) for h in history] == [
        ("+", 10, partner_user),
        ("~", 15, partner_user),
        ("-", 15, partner_user),
    ]


@pytest.mark.django_db
def test_editing_the_fiche_keeps_its_partners_and_who_acts_for_them(
    fiche: Any, scorecard: Any, partner_user: Any
) -> None:
    club = fiche.partners.get(name="Club d'entreprises")
    asset = records.save_asset(
        scorecard,
        validation.clean_asset(
            {"kind": "mecenat-competences", "description": "Juristes", "partner": club.name},
            [club.name],
        ),
        None,
    )
    partners = [{**p, "role": "nouveau rôle"} for p in FICHE["partners"]]
    fiche_records.update_fiche(fiche, clean_fiche({**FICHE, "partners": partners[::-1]}))
    assert fiche.partners.get(name="Club d'entreprises").pk == club.pk
    assert PartnerRepresentative.objects.get(user=partner_user).partner.role == "nouveau rôle"
    # a partner removed from the fiche: its representatives go, its assets stay, unattributed
    fiche_records.update_fiche(fiche, clean_fiche({**FICHE, "partners": FICHE["partners"][:1]}))
    assert not PartnerRepresentative.objects.exists()
    assert Asset.objects.get(pk=asset.pk).partner is None
    assert PartnerRepresentative.history.filter(history_type="-").count() == 1


@pytest.mark.django_db
def test_one_partner_per_user_and_alliance(fiche: Any, partner_user: Any) -> None:
    with pytest.raises(validation.InputError, match="already acts for Club d'entreprises"):
        records.grant(fiche, fiche.partners.get(name="Ville de Charenton"), partner_user, None)
