"""The directory's API: search with bounded paging and 422 naming unknown codes, a structure and
its services, orientation, coverage, and token-authenticated writes checked against the roles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from support_samples import DLA_94, load_funds

from observatoire.platform.support.models import State, Structure

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, status: int = 200, **headers: Any) -> Any:
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:600]
    return response.json()


def test_search_by_territory_need_and_actor_type(client: Client, directory: Any) -> None:
    data = _get(client, "/api/structures?territory=94018&need=ingenierie&actor_type=associations")
    assert (data["count"], data["page"], data["per_page"], data["notice"]) == (3, 1, 20, None)
    ids = [r["id"] for r in data["results"]]
    assert ids[0] == "structure-incubateur-pemb"  # the EPT: the closest zone of the three
    assert set(ids) == {"structure-incubateur-pemb", "structure-dla-94", "structure-dla-national"}
    dla = next(r for r in data["results"] if r["id"] == "structure-dla-94")
    assert dla["services"][0]["zones"] == [{"ref": "DEP-94", "name": "Val-de-Marne"}]
    assert dla["commune"] == {"ref": "COM-94028", "name": "Créteil"}
    need = {f["code"]: f["count"] for f in data["facets"]["need"]}
    assert need["ingenierie"] == 3


def test_fictitious_structures_are_flagged_in_answers(client: Client, directory: Any) -> None:
    Structure.objects.filter(import_id="dla-94").update(is_fictitious=True)
    data = _get(client, "/api/structures?territory=DEP-94")
    assert "FICTIVES" in data["notice"]
    assert {r["id"]: r["is_fictitious"] for r in data["results"]}["structure-dla-94"] is True
    assert "FICTIVES" in _get(client, "/api/structures/structure-dla-94")["notice"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("need=magie&need=ingenierie", "'magie'"),
        ("actor_type=martiens", "'martiens'"),
        ("territory=00000", "field 'territory'"),
        ("structure_type=ovni", "'ovni'"),
    ],
)
def test_unknown_codes_answer_422_naming_them(client: Client, query: str, named: str) -> None:
    assert named in _get(client, f"/api/structures?{query}", 422)["detail"]


@pytest.mark.parametrize(
    "query", ["per_page=101", "per_page=0", "page=0", "page=abc", "q=" + "x" * 101]
)
def test_paging_and_text_are_bounded(client: Client, query: str) -> None:
    _get(client, f"/api/structures?{query}", 422)


def test_a_structure_and_its_services(client: Client, directory: Any, make_structure: Any) -> None:
    data = _get(client, "/api/structures/structure-fonds-idf")
    assert (data["state"], data["structure_type"], data["licence"]) == (
        "published",
        "financeur-solidaire",
        "Licence Ouverte 2.0",
    )
    services = _get(client, "/api/structures/structure-fonds-idf/services")
    assert services[0]["zones"] == [{"ref": "REG-11", "name": "Île-de-France"}]
    make_structure({**DLA_94, "import_id": "brouillon", "name": "Brouillon secret"}, state="draft")
    _get(client, "/api/structures/brouillon-secret", 404)  # a draft answers like a missing one
    _get(client, "/api/structures/brouillon-secret/services", 404)
    _get(client, "/api/structures/nulle-part", 404)


def test_orientation(client: Client, directory: Any) -> None:
    data = _get(
        client,
        "/api/orientation?actor_type=associations&commune=94018&employment=non-employeuse",
    )
    assert data["doors"][0]["structure"] == "structure-guidasso-national"
    assert data["doors"][0]["reasons"][0].startswith("Votre association n'emploie pas")
    assert {r["code"] for r in data["rules_applied"]} >= {"guidasso-non-employeuses"}
    english = _get(
        client,
        "/api/orientation?actor_type=associations&commune=94018&employment=non-employeuse&lang=en",
    )
    assert english["doors"][0]["reasons"][0].startswith("Your association has no employees")
    bad = _get(client, "/api/orientation?actor_type=x&commune=99999&need=y", 422)["detail"]
    assert "'actor_type'" in bad and "'commune'" in bad and "'need'" in bad
    _get(client, "/api/orientation?actor_type=associations&commune=94018&limit=51", 422)


def test_coverage(client: Client, directory: Any) -> None:
    rows = _get(client, "/api/coverage?actor_type=associations&need=outils-ressources")
    assert len(rows) == 101
    by_code = {r["department"]["ref"]: r for r in rows}
    assert (by_code["DEP-94"]["state"], by_code["DEP-94"]["part"]) == ("partiel", 1)
    assert "'magie'" in _get(client, "/api/coverage?need=magie", 422)["detail"]


PROPOSAL = {
    "name": "Point d'appui associatif",
    "description": "Un point d'appui pour les associations du quartier.",
    "structure_type": "maison-associations",
    "commune": "94018",
    "services": [
        {
            "name": "Permanence d'information",
            "description": "Une permanence chaque semaine.",
            "zones": ["94018"],
            "support_forms": ["outils-ressources"],
            "actor_types": ["associations"],
        }
    ],
}


def _post(client: Client, url: str, body: Any, headers: dict[str, str], status: int) -> Any:
    response = client.post(url, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == status, response.content[:600]
    return response.json()


def _put(client: Client, url: str, body: Any, headers: dict[str, str], status: int) -> Any:
    response = client.put(url, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == status, response.content[:600]
    return response.json()


def test_writes_follow_the_roles(
    client: Client, contributor: Any, other_contributor: Any, curator: Any, bearer: Any
) -> None:
    from django.contrib.auth import get_user_model

    _post(client, "/api/structures", PROPOSAL, {}, 401)
    nobody = get_user_model().objects.create_user("sans-role", password="x-motdepasse-1")
    _post(client, "/api/structures", PROPOSAL, bearer(nobody), 403)

    mine = bearer(contributor)
    created = _post(client, "/api/structures", PROPOSAL, mine, 201)
    assert created["state"] == "draft"
    slug = created["id"]
    structure = Structure.objects.get(slug=slug)
    assert structure.owner == contributor and structure.services.get().zones == ["COM-94018"]
    _get(client, f"/api/structures/{slug}", 404)  # not public while a draft

    changed = {**PROPOSAL, "name": "Point d'appui associatif de Charenton"}
    _put(client, f"/api/structures/{slug}", changed, mine, 200)
    _put(client, f"/api/structures/{slug}", changed, bearer(other_contributor), 404)
    _post(client, f"/api/structures/{slug}/transitions", {"action": "publish"}, mine, 403)
    assert (
        _post(client, f"/api/structures/{slug}/transitions", {"action": "submit"}, mine, 200)[
            "state"
        ]
        == "review"
    )
    _put(client, f"/api/structures/{slug}", changed, mine, 403)  # no longer a draft
    curate = bearer(curator)
    _post(client, f"/api/structures/{slug}/transitions", {"action": "publish"}, curate, 200)
    assert Structure.objects.get(slug=slug).state == State.PUBLISHED
    assert (
        _get(client, f"/api/structures/{slug}")["name"] == "Point d'appui associatif de Charenton"
    )
    bad = _post(client, f"/api/structures/{slug}/transitions", {"action": "publish"}, curate, 422)
    assert "cannot publish a structure in state 'published'" in bad["detail"]
    actions = list(Structure.objects.get(slug=slug).history.values_list("action", flat=True))
    assert actions == ["publish", "submit", "edit", "create"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"structure_type": "ovni"}, "field 'structure_type'"),
        ({"website": "javascript:alert(1)"}, "field 'website'"),
        ({"name": "a" * 151}, "name"),
        ({"services": [{**PROPOSAL["services"][0], "zones": ["00000"]}]}, "services[1].zones"),
        ({"description": "nul \x00 byte"}, "NUL"),
    ],
)
def test_bad_bodies_answer_422_naming_the_field(
    client: Client, contributor: Any, bearer: Any, change: dict[str, Any], named: str
) -> None:
    detail = _post(client, "/api/structures", {**PROPOSAL, **change}, bearer(contributor), 422)
    assert named in json.dumps(detail, ensure_ascii=False)
    assert not Structure.objects.exists()


def test_orientation_proposes_the_funding_instruments_of_the_funds(
    client: Client, directory: Any
) -> None:
    load_funds()
    url = "/api/orientation?actor_type=associations&commune=94018&employment=employeuse"
    assert _get(client, url)["instruments"] == []  # no need stated: a first orientation first
    found = {m["name"]: m for m in _get(client, url + "&need=ingenierie")["instruments"]}
    assert found["Fonds ODD 17"]["status"] == "to-check"
    assert "Apporte : Apport en ingénierie" in found["Fonds ODD 17"]["reasons"]
    assert found["Fonds ODD 17"]["to_check"]
