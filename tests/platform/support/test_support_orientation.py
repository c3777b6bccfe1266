"""« La bonne porte »: hand-worked examples on the small directory of support_samples.

Each expected order is worked out by hand from the rules file, the needs met, the closest zone
and the distance (see orientation.py); the comments give the steps.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation
from support_samples import structure

from observatoire.platform.support import orientation, zones
from observatoire.platform.support.orientation import InvalidQuery, clean_query, orient

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _french() -> Any:
    with translation.override("fr"):
        yield


def _names(result: orientation.Orientation) -> list[str]:
    return [s.structure_name.removeprefix("Structure ") for s in result.suggestions]


def test_zones_around_charenton_closest_first() -> None:
    # By population: Charenton (~29k) < EPT Paris Est Marne et Bois (~0.5M) < Val-de-Marne
    # (~1.4M) < Métropole du Grand Paris (~7M) < Île-de-France (~12M) < France.
    assert zones.covering_refs("94018") == [
        "COM-94018",
        "EPT-200057941",
        "DEP-94",
        "EPCI-200054781",
        "REG-11",
        "FR",
    ]


def test_employer_association_of_charenton_needing_engineering(directory: Any) -> None:
    # Rule dla-employeuses applies (+3 to DLA). Services meeting "ingenierie": the DLA of the
    # Val-de-Marne (zone DEP-94, 3rd closest), the national DLA (FR, last), the incubator of
    # the EPT (2nd closest, no rule). The others meet no need and no rule moves them up.
    result = orient(
        clean_query(
            actor_type="associations",
            commune="94018",
            employment="employeuse",
            needs=["ingenierie"],
        ),
        day=DAY,
    )
    assert _names(result) == ["dla-94", "dla-national", "incubateur-pemb"]
    assert [r.code for r in result.rules_applied] == ["dla-employeuses"]
    assert not result.zone_blanche
    assert result.eligible == 7
    first = result.suggestions[0]
    assert (first.rule_weight, first.needs_met, first.zone_ref) == (3, ("ingenierie",), "DEP-94")
    assert first.reasons[0].startswith("Votre association emploie des salariés")
    assert "Répond à votre besoin : Apport en ingénierie" in first.reasons
    assert "Couvre Val-de-Marne, où se trouve votre commune" in first.reasons
    # Créteil is in another EPT than Charenton, but in the same department.
    assert "Située dans votre département" in first.reasons


def test_non_employer_association_goes_to_guidasso_first(directory: Any) -> None:
    # Rules: guidasso-non-employeuses (+3 Guid'Asso), dla-apres-pour-non-employeuses (−2 DLA),
    # premiere-orientation (+2 CRESS and Guid'Asso, no need stated). Weights: Guid'Asso 5,
    # CRESS 2, DLA −2, others 0; no need stated, so every eligible service is listed; among the
    # 0s the closest zone first (commune, EPT, region), among the −2s too (department, France).
    result = orient(
        clean_query(actor_type="associations", commune="94018", employment="non-employeuse"),
        day=DAY,
    )
    assert _names(result) == [
        "guidasso-national",
        "cress-national",
        "maison-charenton",
        "incubateur-pemb",
        "fonds-idf",
        "dla-94",
        "dla-national",
    ]
    assert {r.code for r in result.rules_applied} == {
        "guidasso-non-employeuses",
        "dla-apres-pour-non-employeuses",
        "premiere-orientation",
    }
    guidasso = result.suggestions[0]
    assert guidasso.rule_weight == 5
    assert "y compris non employeuses" in guidasso.reasons[0]
    dla = result.suggestions[-1]
    assert dla.rule_weight == -2 and "associations employeuses" in dla.reasons[-1]


def test_company_in_a_white_zone_gets_the_regional_entry_point(directory: Any) -> None:
    # Guéret (Creuse): no local service at all; of the national ones only the CRESS admits
    # companies. Zone blanche, so rule zone-blanche-premier-accueil (+1 CRESS) lists it although
    # it does not meet the funding need; financement-france-active applies but names no
    # eligible structure.
    result = orient(
        clean_query(actor_type="entreprises", commune="23096", needs=["financement-direct"]),
        day=DAY,
    )
    assert result.commune.name == "Guéret"
    assert result.zone_blanche
    assert _names(result) == ["cress-national"]
    assert {r.code for r in result.rules_applied} == {
        "zone-blanche-premier-accueil",
        "financement-france-active",
    }
    assert "Réseau national : couvre toute la France" in result.suggestions[0].reasons


def test_funding_need_in_ile_de_france_is_not_a_white_zone(directory: Any) -> None:
    result = orient(
        clean_query(actor_type="entreprises", commune="94018", needs=["financement-direct"]),
        day=DAY,
    )
    assert not result.zone_blanche
    assert _names(result) == ["fonds-idf"]  # +2 from financement-france-active
    assert result.suggestions[0].rules == ("financement-france-active",)


def test_restrictions_on_size_stage_and_actor_type(make_structure: Any) -> None:
    make_structure(
        structure(
            "petites",
            "autre",
            service={"zones": ["DEP-94"], "sizes": ["tres-petite"], "support_forms": ["donnees"]},
        )
    )
    make_structure(
        structure(
            "emergence",
            "incubateur",
            service={
                "zones": ["DEP-94"],
                "innovation_stages": ["emergence"],
                "support_forms": ["donnees"],
            },
        )
    )

    def names(**query: Any) -> list[str]:
        q = clean_query(actor_type="entreprises", commune="94018", needs=["donnees"], **query)
        return sorted(_names(orient(q, day=DAY)))

    assert names() == ["emergence", "petites"]  # unstated answers pass every restriction
    assert names(size="grande") == ["emergence"]
    assert names(size="tres-petite", stage="deploiement") == ["petites"]


def test_a_structure_appears_once_with_its_best_service(make_structure: Any) -> None:
    data = structure("deux-services", "financeur-solidaire")
    data["services"] = [
        {**data["services"][0], "import_id": "a", "support_forms": ["ingenierie"]},
        {
            **data["services"][0],
            "import_id": "b",
            "name": "Prêts",
            "support_forms": ["financement-direct"],
        },
    ]
    make_structure(data)
    result = orient(
        clean_query(
            actor_type="associations", commune="94018", needs=["financement-direct", "ingenierie"]
        ),
        day=DAY,
    )
    assert [s.service_name for s in result.suggestions] == ["Prêts"]  # +2 rule, same fit


def test_drafts_are_never_proposed(make_structure: Any) -> None:
    make_structure(structure("brouillon", "guidasso"), state="draft")
    result = orient(clean_query(actor_type="associations", commune="94018"), day=DAY)
    assert result.suggestions == ()
    assert result.zone_blanche


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidQuery) as caught:
        clean_query(actor_type="nope", commune="99999", needs=["ingenierie", "zzz"], stage="x")
    errors = caught.value.errors
    assert set(errors) == {"actor_type", "commune", "need", "stage"}
    assert "'nope'" in errors["actor_type"] and "'zzz'" in errors["need"]
    assert "99999" in errors["commune"]


def test_the_place_must_be_a_commune_and_former_codes_resolve() -> None:
    with pytest.raises(InvalidQuery, match="is a department"):
        clean_query(actor_type="associations", commune="DEP-94")
    # 75101 (Paris 1er arrondissement) resolves to Paris.
    assert clean_query(actor_type="associations", commune="75101").commune == "75056"


def test_employment_is_dropped_for_other_actors() -> None:
    q = clean_query(actor_type="entreprises", commune="94018", employment="employeuse")
    assert q.employment == ""
