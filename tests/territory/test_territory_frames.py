"""The mayors' frame: communes of the study regions counted by study region and size class."""

from __future__ import annotations

from collections import Counter

import pytest

from observatoire import territory
from observatoire.errors import InputError
from observatoire.vocabularies import COMMUNE_SIZES


def test_frame_counts_every_commune_of_the_study_regions_once() -> None:
    frame = territory.commune_frame()
    communes = [c for c in territory.descendants("FR", kinds={"commune"}) if c.study_region]
    assert frame.total == len(communes)
    expected = Counter((c.study_region, c.size_class) for c in communes)
    assert {(c.study_region, c.size_class): c.communes for c in frame.cells if c.communes} == (
        dict(expected)
    )
    assert len(frame.cells) == 12 * 4
    # the overseas communes are outside: France minus the 13 metropolitan regions
    overseas = [r for r in territory.regions() if r.study_region is None]
    france = territory.get("FR")
    assert frame.total == (france.members_count or 0) - sum(r.members_count or 0 for r in overseas)


def test_frame_margins_and_populations_agree_with_the_regions() -> None:
    frame = territory.commune_frame()
    by_region = frame.by_study_region()
    assert list(by_region) == [s.code for s in territory.study_regions()]
    for study in territory.study_regions():
        members = sum(territory.get(r, "region").members_count or 0 for r in study.regions)
        assert by_region[study.code] == members
        people = sum(c.population for c in frame.cells if c.study_region == study.code)
        assert people == study.population
    by_size = frame.by_size_class()
    assert list(by_size) == list(COMMUNE_SIZES.codes)
    assert sum(by_size.values()) == frame.total
    # Most communes are small, the largest class is a few per region (published order of sizes)
    assert by_size["moins-2000"] > by_size["2000-20000"] > by_size["20000-50000"]
    assert by_size["20000-50000"] > by_size["plus-50000"] > 100


def test_frame_cell_lookup_and_its_errors() -> None:
    frame = territory.commune_frame()
    paris_region = frame.count("11", "plus-50000")
    assert paris_region == sum(
        1
        for c in territory.descendants("REG-11", kinds={"commune"})
        if (c.population or 0) >= 50_000
    )
    assert frame.count("93", "moins-2000") > frame.count("93", "plus-50000")  # Corse included
    with pytest.raises(InputError, match="no frame cell for study region '94'"):
        frame.count("94", "moins-2000")
    with pytest.raises(InputError, match="size class 'huge'"):
        frame.count("11", "huge")


def test_frame_names_its_source() -> None:
    source = territory.commune_frame().source
    assert "@etalab/decoupage-administratif" in source
    assert "INSEE" in source
