"""Public pages, contributor pages, curation rules and the API, through Django's test client."""

from __future__ import annotations

import json

import pytest
from alliance_samples import NATIONAL, VITAWIN
from django.core.exceptions import PermissionDenied
from django.test import Client

from observatoire.platform.accounts import tokens
from observatoire.platform.alliances import workflow
from observatoire.platform.alliances.models import Alliance, State

pytestmark = pytest.mark.django_db


def test_list_search_facets_and_shareable_url(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/alliances/?q=décrochage&region=11&objective=co-construction-territoriale")
    html = page.content.decode()
    assert page.status_code == 200
    assert "VitaWin et Q2ER" in html
    assert "Rénovation énergétique" not in html
    assert 'value="11" checked' in html


def test_bad_territory_is_a_clear_400(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/alliances/?territory=11")
    assert page.status_code == 400
    assert "REG-11" in page.content.decode()


def test_a_visitor_can_name_the_territory_instead_of_its_code(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    by_name = client.get("/alliances/?territory=Charenton")
    by_code = client.get("/alliances/?territory=94018")
    assert by_name.status_code == 200
    html = by_name.content.decode()
    assert "territoire Charenton-le-Pont" in html
    assert "VitaWin et Q2ER" in html  # found through its EPT
    assert html.count('class="result"') == by_code.content.decode().count('class="result"')
    unknown = client.get("/alliances/?territory=Nulle-part-sur-Mer")
    assert unknown.status_code == 400


def test_map_links_regions_to_filtered_lists(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/alliances/carte/?q=décrochage")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert "/alliances/?q=d%C3%A9crochage&amp;region=11" in html
    departments = client.get("/alliances/carte/?level=department").content.decode()
    assert "department=94" in departments


def test_fiche_page_is_safe_printable_and_has_similar(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    html = client.get(base["vitawin"].get_absolute_url()).content.decode()
    assert "<h2>Genèse</h2>" in html
    assert "<script>window.pwned" not in html
    assert "Alliances similaires" in html and "Fonds ODD 17" in html
    assert "alliances.css" in html  # holds the print styles


def test_drafts_are_hidden_from_anonymous_and_other_contributors(
    client: Client, make_fiche, contributor, other_contributor
) -> None:  # type: ignore[no-untyped-def]
    draft = make_fiche(VITAWIN, state="draft", owner=contributor)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/api/alliances/{draft.slug}").status_code == 404
    client.force_login(other_contributor)
    assert client.get(draft.get_absolute_url()).status_code == 404
    # 404 as for a missing fiche: a 403 would confirm that the draft exists (issue 9).
    assert client.get(f"/alliances/{draft.slug}/modifier/").status_code == 404
    client.force_login(contributor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_contributor_proposes_submits_curator_publishes(
    client: Client, contributor, curator
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(contributor)
    response = client.post(
        "/alliances/proposer/",
        {
            "title": "Jardins partagés de Montargis",
            "summary": "Des habitants et une entreprise cultivent ensemble.",
            "territories": "45208",
            "partners": "Ville de Montargis ; collectivites ; petite-moyenne ; porteur",
            "objectives": ["co-construction-territoriale"],
        },
    )
    alliance = Alliance.objects.get(title="Jardins partagés de Montargis")
    assert response.status_code == 302
    assert (alliance.state, alliance.owner) == (State.DRAFT, contributor)
    client.post(f"/alliances/{alliance.slug}/etat/", {"action": "publish"})
    alliance.refresh_from_db()
    assert alliance.state == State.DRAFT  # a contributor cannot publish
    client.post(f"/alliances/{alliance.slug}/etat/", {"action": "submit"})
    client.force_login(curator)
    client.post(f"/alliances/{alliance.slug}/etat/", {"action": "publish"})
    alliance.refresh_from_db()
    assert alliance.state == State.PUBLISHED
    history = [(e.action, e.actor) for e in alliance.history.order_by("at", "id")]
    assert history == [("create", contributor), ("submit", contributor), ("publish", curator)]


def test_form_reports_bad_codes_on_the_field(client: Client, contributor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(contributor)
    response = client.post(
        "/alliances/proposer/", {"title": "T", "summary": "S", "territories": "99999"}
    )
    assert response.status_code == 200
    assert "99999" in response.content.decode()
    assert not Alliance.objects.exists()


def test_a_likely_duplicate_is_flagged_before_it_is_saved(
    client: Client, base, contributor
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(contributor)
    fields = {
        "title": "VitaWin et Q2ER : prévenir le décrochage scolaire !",
        "summary": "Encore.",
        "territories": "200057941",
    }
    warned = client.post("/alliances/proposer/", fields)
    assert warned.status_code == 200
    assert "titre proche" in warned.content.decode()
    assert Alliance.objects.count() == 3
    saved = client.post("/alliances/proposer/", {**fields, "not_duplicate": "1"})
    assert saved.status_code == 302
    assert Alliance.objects.count() == 4


def test_merge_archives_the_duplicate(base, curator, contributor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        workflow.merge(base["energie"], base["vitawin"], contributor)
    workflow.merge(base["energie"], base["vitawin"], curator)
    base["energie"].refresh_from_db()
    assert (base["energie"].state, base["energie"].merged_into) == (State.ARCHIVED, base["vitawin"])


def test_api_search_answers_count_results_and_facets(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    data = client.get(
        "/api/alliances?q=décrochage&region=11&objective=co-construction-territoriale"
    ).json()
    assert data["count"] == 1
    result = data["results"][0]
    assert result["slug"] == "vitawin-q2er"
    assert result["territories"] == [{"code": "200057941", "name": "Paris Est Marne et Bois"}]
    assert {f["code"]: f["count"] for f in data["facets"]["region"]} == {"11": 1}
    scoped = client.get("/api/alliances?territory=94018").json()
    assert sorted(r["slug"] for r in scoped["results"]) == ["fonds-odd17", "vitawin-q2er"]
    assert client.get("/api/alliances?territory=11").status_code == 400
    assert client.get("/api/openapi.json").json()["info"]["title"].startswith("Observatoire")


def test_api_writes_need_a_contributor_token(
    client: Client, contributor, other_contributor
) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps({**NATIONAL, "import_id": ""})
    assert client.post("/api/alliances", body, content_type="application/json").status_code == 401
    _, key = tokens.issue(contributor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    created = client.post("/api/alliances", body, content_type="application/json", **auth)
    assert created.status_code == 201
    slug = created.json()["alliance"]["slug"]
    assert Alliance.objects.get(slug=slug).state == State.DRAFT
    bad = client.post(
        "/api/alliances", json.dumps({"title": "x"}), content_type="application/json", **auth
    )
    assert bad.status_code == 422
    changed = json.dumps({**NATIONAL, "import_id": "", "title": "Fonds ODD 17 (modifié)"})
    updated = client.put(f"/api/alliances/{slug}", changed, content_type="application/json", **auth)
    assert updated.json()["alliance"]["title"] == "Fonds ODD 17 (modifié)"
    _, other = tokens.issue(other_contributor)
    forbidden = client.put(
        f"/api/alliances/{slug}",
        changed,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert forbidden.status_code == 404  # someone else's draft: as if missing (issue 9)
    nobody = client.post(
        "/api/alliances", body, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert nobody.status_code == 401


def test_exports_are_downloadable(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/alliances/export/alliances.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert client.get("/alliances/export/alliances.xml").status_code == 404


def test_english_pages_use_english_labels(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/en/alliances/").content.decode()
    assert "<legend>Objective</legend>" in html
    assert "Co-build locally (territorial projects)" in html


def test_my_fiches_and_curator_admin(client: Client, make_fiche, contributor, curator) -> None:  # type: ignore[no-untyped-def]
    mine = make_fiche(VITAWIN, state="review", owner=contributor)
    client.force_login(contributor)
    assert mine.title in client.get("/alliances/mes-fiches/").content.decode()
    client.force_login(curator)
    assert mine.title in client.get("/alliances/mes-fiches/").content.decode()  # to review
    changelist = client.get("/admin/alliances/alliance/")
    assert changelist.status_code == 200 and mine.title in changelist.content.decode()
    client.post(
        "/admin/alliances/alliance/",
        {"action": "action_publish", "_selected_action": [mine.pk]},
    )
    mine.refresh_from_db()
    assert mine.state == State.PUBLISHED
    assert mine.history.filter(action="publish", actor=curator).exists()


def test_admin_form_applies_the_import_rules() -> None:
    from observatoire.platform.alliances.admin import AllianceAdminForm

    fields = {
        "slug": "essai",
        "state": "draft",
        "title": "Essai",
        "summary": "Résumé.",
        "territories": '["REG-11"]',
        "objectives": '["inconnu"]',
        "licence": "CC BY-SA 4.0",
        "update_frequency_months": "12",
    }
    for name in ("impacts", "partnership_categories", "fragilities", "support_forms"):
        fields[name] = "[]"
    for name in ("timeline", "results", "sources"):
        fields[name] = "[]"
    form = AllianceAdminForm(data=fields)
    assert not form.is_valid()
    assert "inconnu" in str(form.errors["objectives"])
    form = AllianceAdminForm(data={**fields, "objectives": '["innovation-societale"]'})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territories"] == ["REG-11"]
