"""The shipped funds content: what the seed says (and only that), loaded idempotently."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from observatoire.errors import InputError
from observatoire.platform.funds import figures
from observatoire.platform.funds.content import CONTENT_FILE, load_content
from observatoire.platform.funds.models import Evaluation, Fund, Instrument, Support


def test_fonds_odd_17_as_the_seed_describes_it(content: Fund) -> None:
    fund = content
    assert fund.founders == ["Le RAMEAU", "Fondation TotalEnergies"]
    assert (fund.created_year, fund.endowment_eur, fund.duration_months) == (
        2020,
        Decimal("1500000.00"),
        36,
    )
    assert fund.published and not fund.is_synthetic
    assert [s.code for s in fund.strands.all()] == [
        "socle-connaissances",
        "co-construction-territoriale",
        "deploiement-national",
    ]
    supports = list(fund.supports.all())
    assert {
        s.form for s in supports if s.alliance.slug == "paris-est-marne-bois-agir-ensemble"
    } == {
        "donnees",
        "outils-ressources",
        "reseaux",
        "ingenierie",
        "dialogue-gouvernance",
        "financement-direct",
        "valorisation",
    }
    assert all(s.source for s in supports), "every support cites the seed's lines"


def test_the_10k_and_3k_ambiguity_is_stated_not_resolved(content: Fund) -> None:
    ten = Support.objects.get(fund=content, key="pemb-financement-direct")
    three = Support.objects.get(fund=content, key="club-ess-urgence-etudiante")
    assert (ten.amount_eur, three.amount_eur) == (Decimal("10000.00"), Decimal("3000.00"))
    assert three.may_be_included_in == ten
    assert "10 k€ ou 13 k€" in three.amount_note
    charenton = Support.objects.get(fund=content, key="charenton-fonds-de-soutien")
    assert charenton.amount_eur is None and charenton.may_be_included_in == ten
    total = figures.compute(content.supports.all()).direct_funding
    assert (total.low, total.high, total.unknown) == (Decimal(10000), Decimal(13000), 1)


def test_instruments_and_evaluations(content: Fund) -> None:
    assert set(Instrument.objects.values_list("slug", flat=True)) == {
        "fonds-odd-17",
        "fonds-i",
        "cercle-des-investisseurs-a-impact-social",
    }
    fonds_i = Instrument.objects.get(slug="fonds-i")
    assert fonds_i.stages == ["deploiement"]
    assert fonds_i.eligibility[0]["criterion"] == "scaling_ambition"
    assert Instrument.objects.get(slug="fonds-odd-17").fund == content
    fund_evaluation = Evaluation.objects.get(fund=content, key="evaluation-du-fonds")
    assert fund_evaluation.status == "in-progress" and fund_evaluation.mobilised_eur is None
    lessons = Evaluation.objects.get(fund=content, key="retour-experience-pemb").lessons
    assert any("vide juridique" in lesson["text"] for lesson in lessons)


def test_loading_again_writes_nothing(content: Fund) -> None:
    histories = (Support.history.count(), Fund.history.count(), Instrument.history.count())
    assert load_content() is False
    assert load_content(force=True) is True  # compares field by field: still nothing to save
    assert (Support.history.count(), Fund.history.count(), Instrument.history.count()) == histories


def test_a_bad_record_names_file_row_and_field_and_saves_nothing(
    fiches: dict[str, Any], tmp_path: Path
) -> None:
    data = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    data["funds"][0]["supports"][3]["amount_eur"] = 500  # in-kind support with an amount
    bad = tmp_path / "funds.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_content(bad)
    assert caught.value.file == str(bad)
    assert caught.value.row == 4 and caught.value.field == "amount_eur"
    assert "only direct funding has an amount" in str(caught.value)
    assert not Fund.objects.exists() and not Support.objects.exists()
