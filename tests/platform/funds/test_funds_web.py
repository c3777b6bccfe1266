"""The funds' pages as visitors, managers and curators see them."""

from __future__ import annotations

from typing import Any

from django.test import Client

from observatoire.platform.funds.models import Fund, Support


def _text(answer: Any) -> str:
    """The page with French no-break spaces (in "10 000 €", "67 %") read as plain spaces."""
    return answer.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def test_the_funds_page_shows_the_fonds_odd_17_and_its_supports_to_pemb(
    client: Client, content: Fund
) -> None:
    page = _text(client.get("/fonds/"))
    assert "Fonds ODD 17" in page
    assert "/alliances/paris-est-marne-bois-agir-ensemble/" in page
    assert "/alliances/club-ess-urgence-etudiante/" in page
    assert "10 000 € à 13 000 €" in page
    assert "/fonds/instruments/fonds-i/" in page


def test_the_fund_page_counts_by_form_region_and_objective(client: Client, content: Fund) -> None:
    page = _text(client.get("/fonds/fonds-odd-17/"))
    for text in (
        "Volet 2 : Co-construction territoriale",
        "Par forme de soutien",
        "Par région",
        "Île-de-France",
        "Concilier performance et engagement",
        "67 %",
        "(6 sur 9)",
        "1 montant non précisé",
        "10 k€ ou 13 k€",  # the ambiguity, stated
        "vide juridique",
        "Base : 9 soutiens accordés.",
    ):
        assert text in page, text
    assert "Enregistrer un soutien" not in page


def test_unpublished_things_answer_404_to_visitors_as_missing_ones(
    client: Client, content: Fund, curator: Any, visitor: Any
) -> None:
    Support.objects.filter(key="pemb-donnees").update(published=False)
    assert client.get("/fonds/fonds-odd-17/soutiens/pemb-donnees/").status_code == 404
    assert client.get("/fonds/fonds-odd-17/soutiens/nulle-part/").status_code == 404
    Fund.objects.filter(pk=content.pk).update(published=False)
    for path in ("/fonds/fonds-odd-17/", "/fonds/fonds-odd-17/soutiens/pemb-reseaux/"):
        assert client.get(path).status_code == 404
        client.force_login(visitor)
        assert client.get(path).status_code == 404
        client.force_login(curator)
        assert client.get(path).status_code == 200
        client.logout()
    assert 'id="fund-fonds-odd-17"' not in _text(client.get("/fonds/"))


def test_a_manager_records_a_grant_with_errors_named_then_grants_it(
    client: Client, content: Fund, manager: Any
) -> None:
    client.force_login(manager)
    form = {
        "form": "financement-direct",
        "alliance": "/alliances/club-ess-urgence-etudiante/",
        "description": "Une subvention pour la rentrée.",
        "amount_eur": "",
        "status": "requested",
        "strand": "co-construction-territoriale",
    }
    answer = client.post("/fonds/fonds-odd-17/soutiens/nouveau/", form)
    assert answer.status_code == 200
    assert "direct funding needs its amount" in answer.content.decode()
    assert not Support.objects.filter(status="requested").exists()
    answer = client.post("/fonds/fonds-odd-17/soutiens/nouveau/", {**form, "amount_eur": "4 000"})
    support = Support.objects.get(status="requested")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{support.key}/")
    assert support.alliance.slug == "club-ess-urgence-etudiante" and support.strand is not None
    assert support.history.get().history_user == manager
    page = client.get(answer["Location"]).content.decode()
    assert "Accorder" in page and "création" in page
    client.post(f"/fonds/fonds-odd-17/soutiens/{support.key}/statut/", {"action": "grant"})
    support.refresh_from_db()
    assert support.status == "granted"


def test_other_users_cannot_record_or_change(
    client: Client, content: Fund, other_manager: Any, curator: Any
) -> None:
    assert client.get("/fonds/fonds-odd-17/soutiens/nouveau/").status_code == 302  # to login
    for user in (other_manager, curator):
        client.force_login(user)
        assert client.get("/fonds/fonds-odd-17/soutiens/nouveau/").status_code == 403
        answer = client.post(
            "/fonds/fonds-odd-17/soutiens/pemb-reseaux/statut/", {"action": "close"}
        )
        assert answer.status_code == 403
    assert Support.objects.get(key="pemb-reseaux").status == "granted"


def test_the_instrument_finder_says_why_and_what_to_check(client: Client, content: Fund) -> None:
    answer = client.get(
        "/fonds/instruments/",
        {
            "actor_type": "associations",
            "stage": "deploiement",
            "need": "ingenierie",
            "territory": "Charenton-le-Pont",
            "scaling_ambition": "oui",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "Fonds i" in page
    assert "Étape visée : Déploiement" in page and "Disponibilité à vérifier" in page
    assert "/fonds/instruments/cercle-des-investisseurs-a-impact-social/" not in page
    bad = client.get("/fonds/instruments/", {"stage": "<script>"})
    assert bad.status_code == 400 and "&lt;script&gt;" in bad.content.decode()
    detail = client.get("/fonds/instruments/fonds-i/").content.decode()
    assert "L1875–L1877" in detail and "/alliances/banque-des-territoires-fonds-i/" in detail


def test_the_fiche_shows_the_support_it_received(client: Client, content: Fund) -> None:
    page = _text(client.get("/alliances/club-ess-urgence-etudiante/"))
    assert "Soutiens reçus" in page and "/fonds/fonds-odd-17/" in page
    assert "3 000 €" in page and "peut-être compris dans" in page


def test_english(client: Client, content: Fund) -> None:
    page = _text(client.get("/en/fonds/fonds-odd-17/"))
    assert "By form of support" in page and "Direct funding" in page
    assert "€10,000 to €13,000" in page and "67%" in page
