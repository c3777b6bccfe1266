"""The Q2ER/VitaWin scorecard: built from the seed only, loaded idempotently, every figure cited."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from observatoire.platform.scorecards.content import SEED_FILE, load_seed
from observatoire.platform.scorecards.models import Asset, Measurement, Scorecard

SEED_TEXT = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_b1bff007016ee30f.txt"
Q2ER = "paris-est-marne-bois-q2er-vitawin"


@pytest.fixture
def seeded(db: None) -> Scorecard:
    from observatoire.platform.alliances.content import load_seed as load_fiches

    load_fiches()
    load_seed()
    return Scorecard.objects.get(alliance__import_id=Q2ER)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(seeded: Scorecard) -> None:
    counts = [Measurement.history.count(), Asset.history.count(), Scorecard.history.count()]
    load_seed()
    assert [Measurement.history.count(), Asset.history.count(), Scorecard.history.count()] == counts
    assert (seeded.assets.count(), seeded.stakes.count(), seeded.pathways.count()) == (5, 2, 6)


@pytest.mark.django_db
def test_only_the_figures_the_seed_gives(seeded: Scorecard) -> None:
    values = sorted(
        (m.indicator.code, m.date.isoformat(), m.value)
        for m in seeded.measurements.select_related("indicator")
    )
    assert values == [
        ("communes-couvertes", "2014-09-01", Decimal(2)),
        ("communes-couvertes", "2022-11-03", Decimal(13)),
        ("personnes-touchees", "2022-11-03", Decimal(250)),
    ]
    assert not seeded.assets.exclude(quantity=None).exists()
    assert not seeded.assets.exclude(value_eur=None).exists()
    assert not seeded.indicators.exclude(target=None).exists()
    assert not seeded.indicators.exclude(baseline=None).exists()
    assert not seeded.measurements.filter(indicator__code="acteurs-dialogue").exists()
    assert seeded.visibility == "public"


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="the seed document is outside the repository")
def test_every_figure_is_on_a_cited_line_of_the_seed() -> None:
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    entry = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))[0]
    for measurement in entry["measurements"]:
        cited = re.findall(r"L(\d+)–L(\d+)", measurement["source"])
        text = " ".join(" ".join(lines[int(a) - 1 : int(b)]) for a, b in cited)
        number = str(measurement["value"])
        written = {"2": "deux villes", "13": "13 villes"}.get(number, number)
        assert re.search(rf"\b{written}\b", text), (number, measurement["source"])
    for asset in entry["assets"]:
        assert re.search(r"L\d+", asset["source"]), asset
