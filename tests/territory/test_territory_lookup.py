"""Lookups, containment, former codes and the traps of the source data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from observatoire import territory
from observatoire.errors import InputError

PEMB = "200057941"  # EPT Paris Est Marne et Bois
MGP = "200054781"  # Métropole du Grand Paris


def test_charenton_le_pont() -> None:
    t = territory.get("94018")
    assert (t.name, t.kind, t.size_class) == ("Charenton-le-Pont", "commune", "20000-50000")
    assert (t.department, t.region, t.study_region) == ("94", "11", "11")
    assert t.epci == MGP and territory.get(t.epci).name == "Métropole du Grand Paris"
    assert t.ept == PEMB and territory.get(t.ept).name == "Paris Est Marne et Bois"
    assert t.population is not None and 20_000 <= t.population < 50_000


def test_ajaccio_is_in_the_merged_study_region() -> None:
    t = territory.get("2a004")  # lower case accepted
    assert (t.code, t.name, t.department, t.region, t.study_region) == (
        "2A004",
        "Ajaccio",
        "2A",
        "94",
        "93",
    )
    assert territory.study_region_name(t.region or "") == "Provence-Alpes-Côte d'Azur + Corse"


def test_paris_est_marne_et_bois_has_13_communes_all_in_val_de_marne() -> None:
    ept = territory.get(PEMB)
    assert (ept.kind, ept.members_count, ept.epci, ept.department) == ("ept", 13, MGP, "94")
    members = territory.descendants(PEMB, kinds={"commune"})
    assert len(members) == 13
    assert {m.ept for m in members} == {PEMB}
    assert "94018" in {m.code for m in members}
    assert ept.population == sum(m.population or 0 for m in members)


def test_epci_membership_comes_from_member_lists() -> None:
    mgp = territory.get(MGP)
    communes = territory.descendants(MGP, kinds={"commune"})
    assert mgp.members_count == len(communes) == 130
    assert {c.epci for c in communes} == {MGP}
    assert len(territory.descendants(MGP, kinds={"ept"})) == 11
    assert territory.get("29155").epci is None  # Ouessant, an island in no EPCI


def test_municipal_arrondissements_are_not_added_to_their_city() -> None:
    paris = territory.get("75056")
    assert territory.get("75", "department").population == paris.population
    assert territory.get("75", "department").members_count == 1
    lyon = territory.get("69123")
    assert lyon.population is not None and 500_000 < lyon.population < 550_000
    with pytest.raises(territory.UnknownTerritory, match="75056"):
        territory.get("75101")
    assert territory.resolve("75101") == "75056"


def test_totals_add_up_without_double_counting() -> None:
    regions = territory.regions()
    france = territory.get("FR")
    assert france.population == sum(r.population or 0 for r in regions)
    assert france.members_count == sum(r.members_count or 0 for r in regions)
    idf = territory.get("REG-11")
    assert idf.population == sum(d.population or 0 for d in territory.departments("11"))
    communes = territory.descendants(idf, kinds={"commune"})
    assert idf.population == sum(c.population or 0 for c in communes)


def test_lists_of_regions_and_departments() -> None:
    assert len(territory.regions()) == 18
    assert len(territory.departments()) == 101
    assert [d.code for d in territory.departments("94")] == ["2A", "2B"]
    assert [d.code for d in territory.departments("11")] == [
        "75",
        "77",
        "78",
        "91",
        "92",
        "93",
        "94",
        "95",
    ]


def test_former_codes_resolve_to_their_successor() -> None:
    assert territory.resolve("75018") == "94018"  # an ancien code (Seine department)
    assert territory.resolve("01039") == "01138"  # Béon, commune déléguée of Culoz-Béon
    assert territory.resolve("94018") == "94018"
    assert territory.resolve("99999") == "99999"
    with pytest.raises(territory.UnknownTerritory, match="now belongs to commune 01138"):
        territory.get("01039")


def test_ancestors_closest_first() -> None:
    chain = [(t.kind, t.code) for t in territory.ancestors("94018")]
    assert chain == [
        ("ept", PEMB),
        ("epci", MGP),
        ("department", "94"),
        ("region", "11"),
        ("country", "FR"),
    ]
    assert [t.code for t in territory.ancestors(territory.get("DEP-2A"))] == ["94", "FR"]
    assert territory.ancestors("FR") == []


def test_descendants_filtered_and_ordered() -> None:
    corse = territory.descendants("REG-94")
    kinds = [t.kind for t in corse]
    assert kinds == sorted(kinds, key=territory.KINDS.index)
    assert [t.code for t in corse if t.kind == "department"] == ["2A", "2B"]
    assert len([t for t in corse if t.kind == "commune"]) == territory.get("REG-94").members_count
    assert {t.kind for t in territory.descendants("FR", kinds=("region",))} == {"region"}


def test_department_and_region_codes_overlap() -> None:
    with pytest.raises(territory.AmbiguousTerritory, match=r"REG-11.*DEP-11"):
        territory.get("11")
    assert territory.get("11", "region").name == "Île-de-France"
    assert territory.get("11", kind="department").name == "Aude"
    assert territory.get("reg-75").name == "Nouvelle-Aquitaine"
    assert territory.get("DEP-75").name == "Paris"
    assert territory.get("REG-11").ref == "REG-11"
    assert territory.get("94018").ref == "COM-94018"
    with pytest.raises(InputError, match="names a region, not a department"):
        territory.get("REG-11", "department")


def test_unknown_codes_are_input_errors_with_a_clear_message() -> None:
    assert issubclass(territory.UnknownTerritory, InputError)
    with pytest.raises(territory.UnknownTerritory, match="unknown territory code '12345'"):
        territory.get("12345")
    with pytest.raises(territory.UnknownTerritory, match="of kind commune, not epci"):
        territory.get("94018", "epci")
    with pytest.raises(InputError, match="unknown territory kind 'city'"):
        territory.get("94018", "city")


def test_as_dict_leaves_out_what_does_not_apply() -> None:
    data = territory.get("REG-11").as_dict()
    assert data["ref"] == "REG-11" and data["members_count"] == 1266
    assert "size_class" not in data and "epci" not in data


def test_loading_is_fast() -> None:
    """Read and index everything in under half a second of CPU, in a fresh process."""
    script = (
        "import time; from observatoire import territory; t = time.process_time(); "
        "territory.get('94018'); print(time.process_time() - t)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 0.5
