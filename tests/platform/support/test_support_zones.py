"""Coverage zones matched up and down, and data·inclusion's zone codes in and out."""

from __future__ import annotations

import pytest

from observatoire.errors import InputError
from observatoire.platform.support import zones


def test_a_commune_is_covered_by_itself_and_every_territory_around_it() -> None:
    assert set(zones.covering_refs("94018")) == {
        "COM-94018",
        "EPT-200057941",
        "EPCI-200054781",
        "DEP-94",
        "REG-11",
        "FR",
    }
    assert zones.ancestors_refs("COM-94018")[0] == "EPT-200057941"
    assert zones.closeness("DEP-94", "94018") == 2
    with pytest.raises(ValueError):
        zones.closeness("DEP-75", "94018")


def test_inclusion_codes_round_trip_with_regions_folded() -> None:
    codes = zones.to_inclusion(["REG-11", "COM-94018", "EPCI-200054781", "FR"])
    assert codes[:8] == ["75", "77", "78", "91", "92", "93", "94", "95"]
    assert codes[8:] == ["94018", "200054781", "france"]
    assert zones.from_inclusion(codes) == ["REG-11", "COM-94018", "EPCI-200054781", "FR"]
    assert zones.from_inclusion(["94", "92"]) == ["DEP-94", "DEP-92"]  # not the whole region
    assert zones.from_inclusion(["99100", "2A"]) == ["FR", "DEP-2A"]


def test_bad_inclusion_codes() -> None:
    with pytest.raises(InputError, match="outside France"):
        zones.from_inclusion(["99134"])
    with pytest.raises(InputError, match="unknown territory"):
        zones.from_inclusion(["00000"])


def test_what_a_visitor_types() -> None:
    assert zones.from_visitor("Charenton") == "COM-94018"
    assert zones.from_visitor("Val-de-Marne") == "DEP-94"
    assert zones.from_visitor("94018") == "COM-94018"
    assert zones.from_visitor("paris", kinds=("commune",)) == "COM-75056"
    assert zones.from_visitor("xyzzy") == "xyzzy"  # left for the validation to explain
