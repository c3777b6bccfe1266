"""The structures written from the seed and the fictitious demo structures: sourced, no invented
contacts, clearly fictitious, loaded idempotently."""

from __future__ import annotations

from collections import Counter

import pytest

from observatoire import territory
from observatoire.platform.support import demo
from observatoire.platform.support.content import load_seed, read_seed
from observatoire.platform.support.models import CurationEvent, State, Structure
from observatoire.platform.support.orientation import clean_query, orient

SEED_LINES = 3086
# Public addresses of national organisations, the only contacts the seed entries carry.
KNOWN_WEBSITES = {
    "https://www.avise.org",
    "https://www.franceactive.org",
    "https://www.banquedesterritoires.fr",
}


def test_seed_entries_cite_the_seed_and_invent_no_contact() -> None:
    entries = read_seed()
    names = {e.import_id for e in entries}
    assert {
        "dla",
        "cress-aio",
        "guidasso",
        "avise",
        "france-active",
        "catalyseurs-territoriaux",
        "incubateurs",
        "missions-locales",
    } <= names
    for entry in entries:
        assert not (entry.email or entry.phone or entry.address or entry.siret), entry.import_id
        assert entry.website in KNOWN_WEBSITES | {""}, entry.import_id
        assert not entry.is_fictitious
        (source,) = entry.sources
        assert source["title"].startswith("ODD 17 : les impacts du faire alliance en France")
        for part in str(source["locator"]).split(", "):
            first, _, last = part.replace("L", "").partition("–")
            assert 1 <= int(first) <= int(last or first) <= SEED_LINES, entry.import_id


@pytest.mark.django_db
def test_seed_and_demo_load_idempotently() -> None:
    assert load_seed() == len(read_seed())
    count = demo.load()
    structures, events = Structure.objects.count(), CurationEvent.objects.count()
    assert load_seed() == len(read_seed()) and demo.load() == count
    assert (Structure.objects.count(), CurationEvent.objects.count()) == (structures, events)
    assert not Structure.objects.exclude(state=State.PUBLISHED).exists()


def test_demo_structures_say_they_are_fictitious_everywhere() -> None:
    entries = demo.entries()
    for entry in entries:
        assert entry["is_fictitious"] is True
        assert entry["name"].endswith("(structure fictive)")
        assert entry["description"].startswith("Structure fictive")
        assert entry["email"].endswith("@example.org")
        assert "phone" not in entry and "address" not in entry
    assert demo.entries() == entries  # seeded: the same every time


def test_demo_covers_charenton_and_every_study_region() -> None:
    entries = demo.entries()
    zones = [z for e in entries for s in e["services"] for z in s["zones"]]
    assert {"COM-94018", "DEP-94", "EPT-200057941"} <= set(zones)
    regions: Counter[str] = Counter()
    for ref in zones:
        t = territory.get(ref)
        if t.study_region:
            regions[t.study_region] += 1
    assert set(regions) == {r.code for r in territory.study_regions()}


@pytest.mark.django_db
def test_demo_orients_charenton_associations() -> None:
    load_seed()
    demo.load()
    employer = orient(
        clean_query(
            actor_type="associations",
            commune="94018",
            employment="employeuse",
            needs=["ingenierie"],
        )
    )
    first = employer.suggestions[0]
    assert first.structure_type == "dla" and first.is_local and first.is_fictitious
    non_employer = orient(
        clean_query(actor_type="associations", commune="94018", employment="non-employeuse")
    )
    assert [s.structure_type for s in non_employer.suggestions[:2]] == ["guidasso", "guidasso"]
    assert "Guid'Asso" in {s.structure_name for s in non_employer.suggestions[:2]}
