"""The funds on the platform's API: reads by visibility, bounded paging, validated writes by the
fund's managers only, the instrument finder."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from observatoire.platform.funds.models import Fund, Support

GRANT = {
    "form": "financement-direct",
    "alliance": "club-ess-urgence-etudiante",
    "description": "Une subvention pour la rentrée.",
    "amount_eur": 4000,
    "status": "granted",
}


def _bearer(user: Any) -> dict[str, str]:
    from observatoire.platform.accounts import tokens

    _, key = tokens.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_fund_with_its_figures(client: Client, content: Fund) -> None:
    listing = client.get("/api/funds").json()
    assert [f["slug"] for f in listing["results"]] == ["fonds-odd-17"]
    assert listing["results"][0]["synthetic"] is False
    fund = client.get("/api/funds/fonds-odd-17").json()
    numbers = fund["figures"]
    assert (numbers["supports_given"], numbers["non_financial"]) == (9, 6)
    assert numbers["direct_funding"] == {"low": 10000.0, "high": 13000.0, "unknown_amounts": 1}
    assert [r["code"] for r in numbers["by_region"]] == ["11"]
    assert len(fund["strands"]) == 3 and fund["fiche"] == "fonds-odd-17"


def test_supports_paging_and_filters(client: Client, content: Fund) -> None:
    page = client.get("/api/funds/fonds-odd-17/supports", {"per_page": 4, "page": 2}).json()
    assert (page["count"], len(page["results"])) == (9, 4)
    direct = client.get("/api/funds/fonds-odd-17/supports", {"form": "financement-direct"}).json()
    assert {s["key"] for s in direct["results"]} == {
        "pemb-financement-direct",
        "charenton-fonds-de-soutien",
        "club-ess-urgence-etudiante",
    }
    three = client.get("/api/funds/fonds-odd-17/supports/club-ess-urgence-etudiante").json()
    assert three["may_be_included_in"] == "pemb-financement-direct" and three["amount_eur"] == 3000
    for bad in (
        {"per_page": 101},
        {"per_page": 0},
        {"page": "x"},
        {"form": "argent"},
        {"alliance": "a\x00"},
    ):
        assert client.get("/api/funds/fonds-odd-17/supports", bad).status_code in (400, 422)
    for missing in ("/api/funds/nope", "/api/funds/NUL%00", "/api/funds/fonds-odd-17/supports/x"):
        assert client.get(missing).status_code == 404
    evaluations = client.get("/api/funds/fonds-odd-17/evaluations").json()
    assert {e["status"] for e in evaluations} == {"in-progress", "done"}


def test_private_records_are_404_to_others(client: Client, content: Fund, curator: Any) -> None:
    Support.objects.filter(key="pemb-donnees").update(published=False)
    assert client.get("/api/funds/fonds-odd-17/supports/pemb-donnees").status_code == 404
    assert client.get("/api/funds/fonds-odd-17/supports").json()["count"] == 8
    Fund.objects.filter(pk=content.pk).update(published=False)
    assert client.get("/api/funds/fonds-odd-17").status_code == 404
    assert client.get("/api/funds").json()["count"] == 0
    client.force_login(curator)
    assert client.get("/api/funds/fonds-odd-17/supports").json()["count"] == 9


def test_a_manager_writes_through_the_api(client: Client, content: Fund, manager: Any) -> None:
    auth = _bearer(manager)
    url = "/api/funds/fonds-odd-17/supports"
    created = client.post(url, GRANT, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    key = created.json()["key"]
    assert Support.objects.get(key=key).history.get().history_user == manager
    paid = client.post(
        f"{url}/{key}/status", {"action": "pay"}, content_type="application/json", **auth
    )
    assert paid.json()["status"] == "paid"
    again = client.post(
        f"{url}/{key}/status", {"action": "grant"}, content_type="application/json", **auth
    )
    assert again.status_code == 422 and "cannot grant" in again.json()["detail"]
    edit = client.put(
        f"{url}/{key}",
        {**GRANT, "status": "paid", "description": "Revue."},
        content_type="application/json",
        **auth,
    )
    assert edit.status_code == 200 and edit.json()["description"] == "Revue."


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"form": "reseaux"}, "only direct funding has an amount"),
        ({"description": "a\u0000b"}, "NUL"),
        ({"alliance": "nulle-part"}, "no fiche"),
        ({"status": "requested", "published": True}, "never public"),
        ({"amount_eur": -1}, ""),
        ({"description": "x" * 10_001}, ""),
    ],
)
def test_bad_writes_are_422(
    client: Client, content: Fund, manager: Any, change: dict[str, Any], words: str
) -> None:
    answer = client.post(
        "/api/funds/fonds-odd-17/supports",
        {**GRANT, **change},
        content_type="application/json",
        **_bearer(manager),
    )
    assert answer.status_code == 422 and words in answer.content.decode()
    assert not Support.objects.filter(description__startswith="Une subvention").exists()


def test_writes_need_a_manager_token(
    client: Client, content: Fund, other_manager: Any, curator: Any
) -> None:
    url = "/api/funds/fonds-odd-17/supports"
    assert client.post(url, GRANT, content_type="application/json").status_code == 401
    for user in (other_manager, curator):
        answer = client.post(url, GRANT, content_type="application/json", **_bearer(user))
        assert answer.status_code == 403
    Fund.objects.filter(pk=content.pk).update(published=False)
    hidden = client.post(url, GRANT, content_type="application/json", **_bearer(other_manager))
    assert hidden.status_code == 404  # an unpublished fund does not exist for others


def test_the_instrument_finder(client: Client, content: Fund) -> None:
    found = client.get(
        "/api/funds/instruments",
        {"actor_type": "associations", "stage": "deploiement", "scaling_ambition": "true"},
    ).json()
    assert [m["slug"] for m in found["results"]] == ["fonds-i", "fonds-odd-17"]
    assert "Étape visée : Déploiement" in found["results"][0]["reasons"]
    assert client.get("/api/funds/instruments").json()["count"] == 3
    bad = client.get("/api/funds/instruments", {"territory": "00000"})
    assert bad.status_code == 400 and "territory" in bad.json()["detail"]
    assert client.get("/api/funds/instruments/fonds-i").json()["stages"] == ["deploiement"]
