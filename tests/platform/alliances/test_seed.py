"""The shipped seed fiches load, idempotently, and satisfy the issue's checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.errors import InputError
from observatoire.platform.alliances.content import SEED_FILE, load_seed, read_seed
from observatoire.platform.alliances.models import Alliance, CurationEvent
from observatoire.platform.alliances.search.faceted import SearchParams, run


def test_seed_file_is_valid() -> None:
    fiches = read_seed()
    assert len(fiches) >= 10
    assert all(f.sources for f in fiches), "every seed fiche cites its source"


@pytest.mark.django_db
def test_seed_loads_idempotently_and_vitawin_is_found_three_ways() -> None:
    count = load_seed()
    history = CurationEvent.objects.count()
    assert load_seed() == count
    assert CurationEvent.objects.count() == history  # nothing changed, nothing recorded
    assert Alliance.objects.filter(source_name="seed").count() == count
    found = run(SearchParams(q="décrochage")).alliances
    assert any("VitaWin" in a.title for a in found)
    kept = run(
        SearchParams(
            q="décrochage",
            filters={"region": ["11"], "objective": ["co-construction-territoriale"]},
        )
    ).alliances
    assert any("VitaWin" in a.title for a in kept)
    scoped = run(SearchParams(q="décrochage", territory="94018")).alliances
    assert any("VitaWin" in a.title for a in scoped)


def test_bad_seed_names_file_fiche_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "seed.yaml"
    text = SEED_FILE.read_text(encoding="utf-8")
    bad.write_text(text.replace("co-construction-territoriale", "co-construction-imaginaire", 1))
    with pytest.raises(InputError) as info:
        read_seed(bad)
    assert info.value.file == str(bad)
    assert info.value.row is not None
    assert info.value.field == "objectives"
