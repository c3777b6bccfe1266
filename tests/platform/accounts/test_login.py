"""One login for every app (`settings.LOGIN_URL`), landing on a page that exists."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_reserved_to_users_send_to_the_one_login_page(client: Client) -> None:
    response = client.get("/alliances/proposer/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/connexion/?next=/alliances/proposer/"


def test_login_without_next_lands_on_the_home_page_and_logout_too(client: Client) -> None:
    get_user_model().objects.create_user("alex", password="motdepasse-solide-1")
    page = client.get("/comptes/connexion/")
    assert page.status_code == 200
    assert "Connexion" in page.content.decode()
    response = client.post(
        "/comptes/connexion/", {"username": "alex", "password": "motdepasse-solide-1"}
    )
    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "alex" in home and "Se déconnecter" in home
    assert client.get("/comptes/deconnexion/").status_code == 405  # logging out is a POST
    assert client.post("/comptes/deconnexion/")["Location"] == "/"
    assert "Se connecter" in client.get("/").content.decode()


def test_login_refuses_a_redirect_to_another_site(client: Client) -> None:
    get_user_model().objects.create_user("alex", password="motdepasse-solide-1")
    response = client.post(
        "/comptes/connexion/",
        {"username": "alex", "password": "motdepasse-solide-1", "next": "https://example.org/"},
    )
    assert response["Location"] == "/"
