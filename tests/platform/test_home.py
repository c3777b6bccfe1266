"""The home page says, in French, what the observatory offers (English: test_english.py)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_is_french_by_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Faire alliance pour le bien commun" in html
    assert "La base des alliances" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_sees_what_the_observatory_offers(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    assert page.locator("h1").inner_text() == "Faire alliance pour le bien commun"
    cards = page.locator(".card h2").all_inner_texts()
    assert "La base des alliances" in cards
    assert "Les résultats des études" in cards
