"""The directory's pages: search with facets, structure page, « la bonne porte », coverage map,
exports; fictitious structures labelled wherever they show; bad input gets a 400 with a message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from support_samples import load_funds

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_search_by_commune_need_and_actor_type(client: Client, directory: Any) -> None:
    html = _page(client, "/annuaire/?territory=Charenton&need=ingenierie&actor_type=associations")
    assert "Structure dla-94" in html and "Structure dla-national" in html
    assert "Structure maison-charenton" not in html  # no engineering
    assert "qui couvrent Charenton-le-Pont" in html
    # Facet counts keep the other filters: 3 structures offer engineering to associations here.
    assert (
        'value="ingenierie" checked data-submit-on-change> Apport en ingénierie '
        '<span class="count">(3)' in html
    )


def test_down_matching_a_department_lists_local_structures(client: Client, directory: Any) -> None:
    html = _page(client, "/annuaire/?territory=DEP-94")
    assert "Structure maison-charenton" in html  # works within the department
    assert "travaille dans ce territoire" in html


def test_bad_search_input_is_a_400_with_a_message(client: Client) -> None:
    assert "field &#x27;need&#x27;" in _page(client, "/annuaire/?need=magie", 400)
    assert "field &#x27;page&#x27;" in _page(client, "/annuaire/?page=0", 400)
    assert "field &#x27;territory&#x27;" in _page(client, "/annuaire/?territory=00000", 400)


def test_structure_page_and_drafts(client: Client, make_structure: Any) -> None:
    from support_samples import DLA_94

    published = make_structure({**DLA_94, "is_fictitious": True})
    html = _page(client, published.get_absolute_url())
    assert "Structure dla-94" in html and "badge-fictitious" in html and "fictitious-banner" in html
    assert "Val-de-Marne" in html
    draft = make_structure({**DLA_94, "import_id": "brouillon", "name": "Brouillon"}, state="draft")
    _page(client, draft.get_absolute_url(), 404)


def test_orientation_page(client: Client, directory: Any) -> None:
    html = _page(client, "/annuaire/la-bonne-porte/")
    assert "Comment nous choisissons les portes" in html and "Actes, L1807–L1813" in html
    html = _page(
        client,
        "/annuaire/la-bonne-porte/?actor_type=associations&employment=non-employeuse"
        "&commune=Charenton-le-Pont",
    )
    first = html.index('class="door"')
    assert html.index("Structure guidasso-national", first) < html.index("Structure cress-national")
    assert "y compris non employeuses" in html
    assert 'class="applied"' in html


def test_orientation_errors_name_each_field_and_keep_the_answers(client: Client) -> None:
    html = _page(
        client, "/annuaire/la-bonne-porte/?actor_type=nope&commune=xyzzy&need=ingenierie", 400
    )
    assert 'id="error-actor_type"' in html and 'id="error-commune"' in html
    assert 'value="ingenierie" checked' in html and 'value="xyzzy"' in html


def test_coverage_map(client: Client, directory: Any) -> None:
    html = _page(client, "/annuaire/carte/?actor_type=associations&need=outils-ressources")
    assert '<tr data-state="partiel">' in html and "Val-de-Marne" in html
    assert 'class="coverage-zone-blanche"' in html
    _page(client, "/annuaire/carte/?need=magie", 400)


def test_exports(client: Client, directory: Any) -> None:
    response = client.get("/annuaire/export/annuaire.json")
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert len(document["structures"]) == 7 and "notice" not in document
    assert client.get("/annuaire/export/services.csv")["Content-Type"].startswith("text/csv")
    assert client.get("/annuaire/export/autre.txt").status_code == 404


def test_english(client: Client, directory: Any) -> None:
    html = _page(
        client,
        "/en/annuaire/la-bonne-porte/?actor_type=associations&employment=employeuse&commune=94018"
        "&need=ingenierie",
    )
    assert "Your association has employees" in html
    assert "Meets your need: Engineering support" in html


def test_orientation_page_lists_funding_for_a_stated_need(client: Client, directory: Any) -> None:
    load_funds()
    html = _page(
        client,
        "/annuaire/la-bonne-porte/?actor_type=associations&employment=employeuse&commune=94018"
        "&need=financement-direct",
    )
    assert "Des financements à regarder" in html and "Fonds ODD 17" in html
    html = _page(client, "/annuaire/la-bonne-porte/?actor_type=associations&commune=94018")
    assert "Des financements à regarder" not in html
