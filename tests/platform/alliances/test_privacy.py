"""Issue 9, item 6 and the owners' side of item 10: nobody learns of a draft they may not open —
not through a duplicate warning, not from a 403 where a missing fiche answers 404 — while an
owner reads her own draft through the API, and a contributor with admin access can neither give a
fiche to someone else nor flag it synthetic."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alliance_samples import NATIONAL, VITAWIN
from django.test import Client

from observatoire.platform.accounts import tokens
from observatoire.platform.alliances.models import Alliance

pytestmark = pytest.mark.django_db


def _bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.issue(user)[1]}"}


def _post(client: Client, user: Any, data: dict[str, Any]) -> Any:
    body = json.dumps({**data, "import_id": ""})
    return client.post("/api/alliances", body, content_type="application/json", **_bearer(user))


def test_duplicate_warning_shows_only_what_the_requester_may_see(
    client: Client, make_fiche, contributor, other_contributor, curator
) -> None:  # type: ignore[no-untyped-def]
    secret = make_fiche(VITAWIN, state="draft", owner=contributor)
    proposal = {**VITAWIN, "description": ""}
    stranger = _post(client, other_contributor, proposal)
    assert stranger.status_code == 201
    assert stranger.json()["duplicates"] == []  # was: the draft's slug and title
    own = _post(client, contributor, proposal).json()["duplicates"]
    assert secret.slug in [d["slug"] for d in own]
    curating = _post(client, curator, proposal).json()["duplicates"]
    assert secret.slug in [d["slug"] for d in curating]


def test_duplicate_warning_of_the_form_shows_only_what_the_requester_may_see(
    client: Client, make_fiche, contributor, other_contributor
) -> None:  # type: ignore[no-untyped-def]
    secret = make_fiche(VITAWIN, state="draft", owner=contributor)
    client.force_login(other_contributor)
    page = client.post(
        "/alliances/proposer/",
        {"title": VITAWIN["title"], "summary": "Résumé.", "territories": "200057941"},
    )
    assert page.status_code == 302  # saved: nothing it may see looks like it
    assert secret.title not in page.content.decode()


def _same_answer(first: Any, second: Any) -> None:
    assert first.status_code == second.status_code
    assert first.content == second.content


def test_forbidden_and_missing_answer_alike_api(
    client: Client, make_fiche, contributor, other_contributor
) -> None:  # type: ignore[no-untyped-def]
    draft = make_fiche(VITAWIN, state="draft", owner=contributor)
    auth = _bearer(other_contributor)
    body = json.dumps({**NATIONAL, "import_id": ""})
    for slug in (draft.slug, "fiche-qui-n-existe-pas"):
        assert client.get(f"/api/alliances/{slug}", **auth).status_code == 404
    _same_answer(
        client.put(f"/api/alliances/{draft.slug}", body, content_type="application/json", **auth),
        client.put("/api/alliances/nulle-part", body, content_type="application/json", **auth),
    )
    published = make_fiche(NATIONAL, owner=contributor)  # visible, not theirs: 403 is no secret
    put = client.put(
        f"/api/alliances/{published.slug}", body, content_type="application/json", **auth
    )
    assert put.status_code == 403


def test_forbidden_and_missing_answer_alike_pages(
    client: Client, make_fiche, contributor, other_contributor
) -> None:  # type: ignore[no-untyped-def]
    draft = make_fiche(VITAWIN, state="draft", owner=contributor)
    client.force_login(other_contributor)
    for suffix in ("", "modifier/"):
        mine = client.get(f"/alliances/{draft.slug}/{suffix}")
        missing = client.get(f"/alliances/nulle-part/{suffix}")
        assert mine.status_code == missing.status_code == 404
    for action in ("publish", "submit", "nonsense"):
        transition = client.post(f"/alliances/{draft.slug}/etat/", {"action": action})
        assert transition.status_code == 404  # no message saying what state it is in
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_owners_read_their_own_draft_through_the_api(
    client: Client, make_fiche, contributor
) -> None:  # type: ignore[no-untyped-def]
    draft = make_fiche(VITAWIN, state="draft", owner=contributor)
    assert client.get(f"/api/alliances/{draft.slug}").status_code == 404
    mine = client.get(f"/api/alliances/{draft.slug}", **_bearer(contributor))
    assert mine.status_code == 200 and mine.json()["state"] == "draft"
    bad = client.get(f"/api/alliances/{draft.slug}", HTTP_AUTHORIZATION="Bearer obs_nope")
    assert bad.status_code == 401


@pytest.fixture
def staff_contributor(db: None) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("sacha", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Contributeurs"))
    return user


def _admin_form(alliance: Alliance, **changes: Any) -> dict[str, Any]:
    data = {
        "slug": alliance.slug,
        "title": alliance.title,
        "summary": alliance.summary,
        "description": "",
        "territories": json.dumps(alliance.territories),
        "licence": alliance.licence,
        "update_frequency_months": "12",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }
    for name in ("objectives", "impacts", "partnership_categories", "fragilities"):
        data[name] = json.dumps(getattr(alliance, name))
    for name in ("support_forms", "timeline", "results", "sources"):
        data[name] = json.dumps(getattr(alliance, name))
    return {**data, **changes}


def test_staff_contributors_cannot_assign_another_owner_or_edit_is_synthetic(
    client: Client, make_fiche, staff_contributor, other_contributor
) -> None:  # type: ignore[no-untyped-def]
    fiche = make_fiche(NATIONAL, state="draft", owner=staff_contributor)
    client.force_login(staff_contributor)
    url = f"/admin/alliances/alliance/{fiche.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="owner"' not in page and 'name="is_synthetic"' not in page
    client.post(url, _admin_form(fiche, owner=other_contributor.pk, is_synthetic="on"))
    fiche.refresh_from_db()
    assert fiche.owner == staff_contributor and not fiche.is_synthetic
    added = client.post(
        "/admin/alliances/alliance/add/",
        _admin_form(fiche, slug="nouvelle", owner=other_contributor.pk, state="draft"),
    )
    assert added.status_code == 302
    assert Alliance.objects.get(slug="nouvelle").owner == staff_contributor


def test_curators_may_give_a_fiche_to_another_contributor(
    client: Client, make_fiche, curator, contributor
) -> None:  # type: ignore[no-untyped-def]
    fiche = make_fiche(NATIONAL, state="draft", owner=curator)
    client.force_login(curator)
    url = f"/admin/alliances/alliance/{fiche.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="owner"' in page and 'name="is_synthetic"' not in page
    answer = client.post(url, _admin_form(fiche, owner=contributor.pk))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    fiche.refresh_from_db()
    assert fiche.owner == contributor
