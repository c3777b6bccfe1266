"""Size classes, study regions and adult populations."""

from __future__ import annotations

import pytest

from observatoire import territory
from observatoire.errors import InputError
from observatoire.vocabularies import COMMUNE_SIZES


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, "moins-2000"),
        (1_999, "moins-2000"),
        (2_000, "2000-20000"),
        (19_999, "2000-20000"),
        (20_000, "20000-50000"),
        (49_999, "20000-50000"),
        (50_000, "plus-50000"),
        (2_103_778, "plus-50000"),
    ],
)
def test_size_class_bounds(population: int, expected: str) -> None:
    assert territory.size_class(population) == expected
    assert expected in COMMUNE_SIZES


@pytest.mark.parametrize("bad", [-1, 2.5, "2000", True])
def test_size_class_rejects_what_is_not_a_population(bad: object) -> None:
    with pytest.raises(InputError, match="non-negative integer"):
        territory.size_class(bad)  # type: ignore[arg-type]


def test_every_commune_has_its_size_class() -> None:
    communes = territory.descendants("FR", kinds={"commune"})
    assert len(communes) > 34_000
    assert all(c.size_class == territory.size_class(c.population or 0) for c in communes)


def test_twelve_study_regions() -> None:
    study = territory.study_regions()
    assert len(study) == 12
    names = {s.code: s.name for s in study}
    assert names["93"] == "Provence-Alpes-Côte d'Azur + Corse"
    assert names["11"] == "Île-de-France"
    assert "94" not in names
    paca = next(s for s in study if s.code == "93")
    assert paca.regions == ("93", "94")
    assert paca.population == sum(territory.get(r, "region").population or 0 for r in ("93", "94"))


def test_study_region_of() -> None:
    assert territory.study_region_of("94") == "93"
    assert territory.study_region_of("93") == "93"
    assert territory.study_region_of("84") == "84"
    with pytest.raises(InputError, match="not one of the 13 metropolitan regions"):
        territory.study_region_of("04")  # La Réunion
    assert territory.get("97411").study_region is None


def test_adult_population_of_the_study_regions_adds_up_to_about_52_million() -> None:
    total = sum(s.adult_population.value for s in territory.study_regions())
    assert 51_500_000 <= total <= 52_500_000
    idf = territory.adult_population("11")
    assert idf.year == 2022 and "INSEE" in idf.source
    assert 0.7 < idf.value / (territory.get("REG-11").population or 1) < 0.85


def test_adult_population_only_for_metropolitan_regions() -> None:
    with pytest.raises(territory.UnknownTerritory, match="13 metropolitan regions"):
        territory.adult_population("01")
