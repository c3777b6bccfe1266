"""Issue 9's reproductions on the base of alliances, each refused at the one validation every entry
path uses (API, form, import, admin): script links in sources, NUL bytes, unbounded text, paging
past any integer, a review date in the future."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alliance_samples import NATIONAL, VITAWIN
from django.test import Client

from observatoire.platform.accounts import tokens
from observatoire.platform.alliances.importers import import_file
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.alliances.validation import DESCRIPTION_MAX, SUMMARY_MAX

pytestmark = pytest.mark.django_db

SCRIPT_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript://%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.org/x",
]


def _source(url: str) -> dict[str, Any]:
    return {**NATIONAL, "import_id": "", "sources": [{"title": "Rapport", "url": url}]}


def _api_post(client: Client, user: Any, data: dict[str, Any]) -> Any:
    _, key = tokens.issue(user)
    return client.post(
        "/api/alliances",
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_stored_xss_through_source_url_api(client: Client, contributor, url: str) -> None:  # type: ignore[no-untyped-def]
    response = _api_post(client, contributor, _source(url))
    assert response.status_code == 422
    assert "sources[1].url" in response.json()["detail"]
    assert "http(s)" in response.json()["detail"]
    assert not Alliance.objects.exists()


def test_stored_xss_through_source_url_form(client: Client, contributor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(contributor)
    page = client.post(
        "/alliances/proposer/",
        {
            "title": "Essai",
            "summary": "Résumé.",
            "territories": "REG-11",
            "sources": "Rapport ; javascript:alert(1)",
        },
    )
    assert page.status_code == 200  # the form again, with the error on the field
    assert "http(s)" in page.content.decode()
    assert not Alliance.objects.exists()


def test_stored_xss_through_source_url_import(tmp_path: Path) -> None:
    path = tmp_path / "fiches.json"
    bad = {**VITAWIN, "sources": [{"title": "Rapport", "url": "javascript:alert(1)"}]}
    path.write_text(json.dumps([bad]), encoding="utf-8")
    report = import_file(path, "partenaire")
    assert not report.saved
    assert "sources[1].url" in report.errors[0].message
    assert not Alliance.objects.exists()


def test_stored_xss_through_source_url_admin() -> None:
    from observatoire.platform.alliances.admin import AllianceAdminForm

    fields = {
        "slug": "essai",
        "state": "draft",
        "title": "Essai",
        "summary": "Résumé.",
        "territories": '["REG-11"]',
        "licence": "CC BY-SA 4.0",
        "update_frequency_months": "12",
        "sources": json.dumps([{"title": "Rapport", "url": "javascript:alert(1)"}]),
    }
    for name in ("objectives", "impacts", "partnership_categories", "fragilities"):
        fields[name] = "[]"
    for name in ("support_forms", "timeline", "results"):
        fields[name] = "[]"
    form = AllianceAdminForm(data=fields)
    assert not form.is_valid()
    assert "http(s)" in str(form.errors)


def test_web_addresses_in_sources_are_kept(client: Client, contributor) -> None:  # type: ignore[no-untyped-def]
    response = _api_post(client, contributor, _source("https://www.lerameau.fr/rapport.pdf"))
    assert response.status_code == 201
    assert response.json()["alliance"]["sources"][0]["url"] == "https://www.lerameau.fr/rapport.pdf"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Essai\x00"),
        ("summary", "Ré\x00sumé"),
        ("description", "\x00"),
    ],
)
def test_nul_byte_in_a_title_is_refused_not_stored(
    client: Client, contributor, field: str, value: str
) -> None:  # type: ignore[no-untyped-def]
    response = _api_post(client, contributor, {**NATIONAL, "import_id": "", field: value})
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"] and field in response.json()["detail"]
    assert not Alliance.objects.exists()


def test_nul_byte_anywhere_in_an_imported_record_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fiches.json"
    bad = {**VITAWIN, "results": [{"label": "élèves", "value": "120", "remarque": "a\x00b"}]}
    path.write_text(json.dumps([bad]), encoding="utf-8")
    report = import_file(path, "partenaire")
    assert not report.saved and "NUL" in report.errors[0].message
    assert "results[1].remarque" in report.errors[0].message


@pytest.mark.parametrize(
    ("field", "limit"), [("description", DESCRIPTION_MAX), ("summary", SUMMARY_MAX)]
)
def test_descriptions_have_a_length_limit(
    client: Client, contributor, field: str, limit: int
) -> None:  # type: ignore[no-untyped-def]
    response = _api_post(
        client, contributor, {**NATIONAL, "import_id": "", field: "a" * (limit + 1)}
    )
    assert response.status_code == 422
    assert not Alliance.objects.exists()


def test_length_limits_are_stated_in_the_api_schema(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["FicheIn"]
    assert schema["properties"]["description"]["maxLength"] == DESCRIPTION_MAX
    assert schema["properties"]["summary"]["maxLength"] == SUMMARY_MAX


@pytest.mark.parametrize("page", ["99999999999999999999", "10001", "-1", "0"])
def test_page_99999999999999999999_api(client: Client, base, page: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/alliances?page={page}")
    assert response.status_code == 422
    assert "page" in response.content.decode()


def test_page_99999999999999999999_html(client: Client, base) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/alliances/?page=99999999999999999999")
    assert page.status_code == 400
    assert "10000" in page.content.decode() or "10 000" in page.content.decode()
    assert client.get("/alliances/carte/?page=99999999999999999999").status_code in (200, 400)


def test_last_reviewed_in_the_future_is_refused(client: Client, contributor) -> None:  # type: ignore[no-untyped-def]
    response = _api_post(
        client, contributor, {**NATIONAL, "import_id": "", "last_reviewed": "2999-01-01"}
    )
    assert response.status_code == 422
    assert "last_reviewed" in response.json()["detail"] and "future" in response.json()["detail"]
