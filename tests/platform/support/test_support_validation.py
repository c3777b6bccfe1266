"""One validation for every entry path: each bad value is refused with the field that holds it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from support_samples import DLA_94, MAISON_CHARENTON, structure

from observatoire.errors import InputError
from observatoire.platform.support.validation import clean_structure


def _with_service(**changes: Any) -> dict[str, Any]:
    return structure("x", "autre", service=changes)


def test_a_valid_structure_is_normalised() -> None:
    data = clean_structure(
        {**DLA_94, "siret": "130 030 133 00016", "website": "https://example.org"}
    )
    assert data.siret == "13003013300016"
    assert data.commune == "94028"
    service = data.services[0]
    assert service.zones == ["DEP-94"]
    assert service.actor_types == ["associations"]
    assert clean_structure(MAISON_CHARENTON).services[0].zones == ["COM-94018"]
    assert clean_structure(_with_service(zones=["200057941", "FR", "REG-11", "75101"])).services[
        0
    ].zones == ["EPT-200057941", "FR", "REG-11", "COM-75056"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "ab"}, "name", "shorter than 3"),
        ({"name": "x" * 151}, "name", "longer than 150"),
        ({"name": "Nom\x00nul"}, "name", "NUL byte"),
        ({"structure_type": "ovni"}, "structure_type", "'ovni'"),
        ({"structure_type": ""}, "structure_type", "is required"),
        ({"website": "javascript:alert(1)"}, "website", "not an http(s) address"),
        ({"website": "ftp://example.org"}, "website", "not an http(s) address"),
        ({"email": "pas-un-courriel"}, "email", "not an e-mail address"),
        ({"siret": "1234"}, "siret", "14 digits"),
        ({"siret": "13003013300017"}, "siret", "check digit"),
        ({"rna": "X123"}, "rna", "RNA number"),
        ({"phone": "appelez-nous"}, "phone", "telephone number"),
        ({"commune": "DEP-94"}, "commune", "not a commune"),
        ({"commune": "00000"}, "commune", "unknown territory"),
        ({"networks": ["pas-un-reseau"]}, "networks", "'pas-un-reseau'"),
        ({"last_reviewed": "2999-01-01"}, "last_reviewed", "in the future"),
        ({"update_frequency_months": 0}, "update_frequency_months", "between 1 and 120"),
        ({"sources": [{"title": "t", "url": "data:text/html,x"}]}, "sources[1].url", "http(s)"),
        ({"unexpected": 1}, "unexpected", "unknown field"),
        ({"is_fictitious": "peut-être"}, "is_fictitious", "true or false"),
    ],
)
def test_bad_structure_fields(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        clean_structure({**DLA_94, **changes})
    assert caught.value.field == field
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"zones": []}, "services[1].zones", "at least one territory"),
        ({"zones": ["99999"]}, "services[1].zones", "unknown territory code '99999'"),
        ({"zones": ["11"]}, "services[1].zones", "say which one you mean"),
        (
            {"support_forms": ["ingenierie", "magie", "sorts"]},
            "services[1].support_forms",
            "'magie', 'sorts'",
        ),
        ({"publics": ["tous-publics", "jeunes"]}, "services[1].publics", "cannot be combined"),
        ({"thematiques": ["inconnue"]}, "services[1].thematiques", "see di_thematiques"),
        (
            {"actor_types": ["entreprises"], "association_employment": ["employeuse"]},
            "services[1].association_employment",
            "associations only",
        ),
        ({"kind": "autre-chose"}, "services[1].kind", "'autre-chose'"),
        ({"description": "abc"}, "services[1].description", "shorter than 5"),
        ({"mobilisation_url": "javascript:x"}, "services[1].mobilisation_url", "http(s)"),
    ],
)
def test_bad_service_fields(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        clean_structure(_with_service(**changes))
    assert caught.value.field == field
    assert message in caught.value.message


def test_services_are_numbered_and_their_ids_unique() -> None:
    data = _with_service()
    data["services"] = [data["services"][0], dict(data["services"][0])]
    with pytest.raises(InputError, match="already used by services\\[1\\]") as caught:
        clean_structure(data)
    assert caught.value.field == "services[2].import_id"
    data["services"][1].pop("import_id")
    data["services"][0].pop("import_id")
    assert [s.import_id for s in clean_structure(data).services] == ["service-1", "service-2"]


def test_raw_record_is_json_ready() -> None:
    data = clean_structure({**DLA_94, "last_reviewed": datetime.date(2025, 1, 2)})
    assert data.raw["last_reviewed"] == "2025-01-02"
    assert data.last_reviewed == datetime.date(2025, 1, 2)
