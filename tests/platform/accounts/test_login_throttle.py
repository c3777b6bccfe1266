"""Issue 9, item 10: no login throttling. django-axes (with the platform's own user model) now
refuses a user name from an address after AXES_FAILURE_LIMIT failures, on the login page and
the admin's alike, with a page that says when to try again; API tokens are not affected."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from observatoire.platform.accounts import tokens

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-solide-1"


@pytest.mark.parametrize("login_url", ["/comptes/connexion/", "/admin/login/"])
def test_no_login_throttling(client: Client, login_url: str) -> None:
    user = get_user_model().objects.create_user("alex", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post(login_url, {"username": "alex", "password": "devine"})
        assert wrong.status_code == 200  # the form again, with its error
    assert client.post(login_url, {"username": "alex", "password": "devine"}).status_code == 429
    locked = client.post(login_url, {"username": "alex", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "réessayez dans 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per user name: another account from the same address still logs in.
    get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    assert client.post(login_url, {"username": "sam", "password": PASSWORD}).status_code == 302
    # A token is no password: the API still answers the locked user's token.
    _, key = tokens.issue(user)
    assert tokens.authenticate(key) == user


def test_a_successful_login_resets_the_count(client: Client) -> None:
    get_user_model().objects.create_user("alex", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/comptes/connexion/", {"username": "alex", "password": "devine"})
    ok = client.post("/comptes/connexion/", {"username": "alex", "password": PASSWORD})
    assert ok.status_code == 302
    client.post("/comptes/deconnexion/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/comptes/connexion/", {"username": "alex", "password": "devine"})
    assert (
        client.post("/comptes/connexion/", {"username": "alex", "password": PASSWORD}).status_code
        == 302
    )


def test_the_locked_page_speaks_english_under_en(client: Client) -> None:
    get_user_model().objects.create_user("alex", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/comptes/connexion/", {"username": "alex", "password": "devine"})
    locked = client.post("/en/comptes/connexion/", {"username": "alex", "password": PASSWORD})
    assert locked.status_code == 429
    assert "try again in 15 minutes" in locked.content.decode()
