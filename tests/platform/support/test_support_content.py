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
    "https://www.lerameau.fr",
    "https://www.centre-francais-fondations.org",
    "https://www.alliss.org",
}
SEED_TITLE = "ODD 17 : les impacts du faire alliance en France"


def _check_source(source: dict[str, str | None], where: str) -> None:
    """A seed source names lines that exist; a public page gives its address and what it says."""
    if str(source["title"]).startswith(SEED_TITLE):
        for part in str(source["locator"]).split(", "):
            first, _, last = part.replace("L", "").partition("–")
            assert 1 <= int(first) <= int(last or first) <= SEED_LINES, where
    else:
        assert str(source["url"]).startswith(("https://", "http://")), where
        assert source["publisher"] and len(str(source["locator"])) > 20, where


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
        "le-rameau",
        "centre-francais-fonds-fondations",
        "alliss",
    } <= names
    for entry in entries:
        assert not (entry.email or entry.phone or entry.address or entry.siret), entry.import_id
        assert entry.website in KNOWN_WEBSITES | {""}, entry.import_id
        assert not entry.is_fictitious and entry.sources, entry.import_id
        for source in entry.sources:
            _check_source(source, entry.import_id)


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor_type", "first", "rule"),
    [
        ("fondations", "reseau-fondations", "fondations-reseau-fonds-fondations"),
        ("academiques", "reseau-sciences-societe", "academiques-sciences-societe"),
    ],
)
def test_seed_orients_foundations_and_academic_actors(
    actor_type: str, first: str, rule: str
) -> None:
    """Foundations and academic actors find national doors of their own at Charenton, whatever
    they need; no local structure serves them, and the answer says so (zone blanche)."""
    load_seed()
    for needs in ([], ["financement-direct"], ["reseaux", "donnees"]):
        found = orient(clean_query(actor_type=actor_type, commune="94018", needs=needs))
        lead = found.suggestions[0]
        assert (lead.structure_type, lead.rules) == (first, (rule,)), needs
        assert not lead.is_local and found.zone_blanche
        assert rule in {r.code for r in found.rules_applied}
        assert lead.reasons[0] == next(r.why() for r in found.rules_applied if r.code == rule)
    served = orient(clean_query(actor_type=actor_type, commune="94018", needs=["donnees"]))
    assert "laboratoire-recherche" in {s.structure_type for s in served.suggestions}
    for other in ("associations", "entreprises", "collectivites", "citoyens"):
        doors = orient(clean_query(actor_type=other, commune="94018"))
        assert rule not in {r.code for r in doors.rules_applied}, other
        assert doors.suggestions[0].structure_type != first, other
