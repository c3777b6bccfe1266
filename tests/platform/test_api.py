"""The platform's one API: every app's router mounted, documentation served from this server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_apps_routers_are_mounted_on_one_api(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"].startswith("Observatoire")
    assert {"/api/alliances", "/api/alliances/{slug}"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_api_docs_reference_no_other_host(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "a resource from another host"
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_with_the_network_cut_off(page) -> None:  # type: ignore[no-untyped-def]
    """Anything not asked of the test server is aborted, as on a machine without internet."""
    own = urlsplit(page.base_url).netloc
    elsewhere: list[str] = []

    def only_own(route) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_own)
    page.goto(page.base_url + "/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert title.inner_text().startswith("Observatoire des partenariats")
    page.locator(".opblock-summary-path", has_text="/api/alliances").first.wait_for()
    assert elsewhere == []


@pytest.mark.django_db
def test_search_parameters_are_the_search_facets(client: Client) -> None:
    from observatoire.platform.alliances.search.facets import FACETS

    search = client.get("/api/openapi.json").json()["paths"]["/api/alliances"]["get"]
    parameters = {p["name"]: p for p in search["parameters"]}
    assert set(parameters) == {"q", "territory", "page", "per_page", *(f.name for f in FACETS)}
    for facet in FACETS:
        assert parameters[facet.name]["schema"]["type"] == "array"
        assert parameters[facet.name]["description"].startswith(facet.en)
