"""API tokens: stored hashed, authenticate any app's routes, revocable, last-used date; issued
from the admin (key shown once), by the `observatoire` command and by `manage.py`."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from observatoire.platform.accounts import tokens
from observatoire.platform.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> Any:
    return get_user_model().objects.create_user("alex", password="motdepasse-solide-1")


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = get_user_model().objects.create_superuser("root", password="motdepasse-solide-1")
    client.force_login(admin)
    return client


def test_only_the_hash_is_kept_and_the_key_authenticates(user: Any) -> None:
    token, key = tokens.issue(user, "script")
    assert key.startswith("obs_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values_list())
    assert token.last_used_at is None
    assert tokens.authenticate(key) == user
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert tokens.authenticate(key + "x") is None


def test_last_used_is_written_at_most_once_a_minute(user: Any) -> None:
    token, key = tokens.issue(user)
    tokens.authenticate(key)
    token.refresh_from_db()
    first = token.last_used_at
    tokens.authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    tokens.authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first  # type: ignore[operator]


def test_revoked_tokens_and_inactive_users_do_not_authenticate(user: Any) -> None:
    _, kept_key = tokens.issue(user)
    revoked, revoked_key = tokens.issue(user)
    assert tokens.revoke(ApiToken.objects.filter(pk=revoked.pk)) == 1
    assert tokens.revoke(ApiToken.objects.filter(pk=revoked.pk)) == 0  # keeps its first date
    assert tokens.authenticate(revoked_key) is None
    assert tokens.authenticate(kept_key) == user
    user.is_active = False
    user.save()
    assert tokens.authenticate(kept_key) is None


def test_api_answers_401_to_a_revoked_token(client: Client, user: Any) -> None:
    from django.contrib.auth.models import Group

    from observatoire.platform.alliances.roles import CONTRIBUTORS

    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    token, key = tokens.issue(user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = {"title": "Une alliance", "summary": "Pour tester.", "territories": ["94018"]}
    assert (
        client.post("/api/alliances", body, content_type="application/json", **auth).status_code
        == 201
    )
    tokens.revoke(ApiToken.objects.filter(pk=token.pk))
    assert (
        client.post("/api/alliances", body, content_type="application/json", **auth).status_code
        == 401
    )


def test_admin_issues_a_token_and_shows_its_key_once(admin_client: Client, user: Any) -> None:
    page = admin_client.get("/admin/accounts/apitoken/add/")
    assert page.status_code == 200
    response = admin_client.post(
        "/admin/accounts/apitoken/add/", {"user": user.pk, "label": "tableur"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'<code id="api-key">([^<]+)</code>', response.content.decode())
    assert key is not None
    assert tokens.authenticate(key.group(1)) == user
    token = ApiToken.objects.get(user=user)
    assert token.label == "tableur"
    listing = admin_client.get("/admin/accounts/apitoken/").content.decode()
    assert "tableur" in listing and key.group(1) not in listing
    assert (
        key.group(1)
        not in admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    )


def test_admin_revokes_tokens(admin_client: Client, user: Any) -> None:
    token, key = tokens.issue(user)
    response = admin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 jeton révoqué." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert tokens.authenticate(key) is None


def test_manage_command_issues_a_token(user: Any) -> None:
    out = io.StringIO()
    call_command("issue_api_token", "alex", "--label", "import", stdout=out)
    assert tokens.authenticate(out.getvalue().strip()) == user
    with pytest.raises(Exception, match="no user named 'nobody'"):
        call_command("issue_api_token", "nobody")
