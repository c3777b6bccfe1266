"""Search answers kept for a short while: the same search answers without SQL, a change made in
this process shows at once, the delay is told to browsers and proxies."""

from __future__ import annotations

from typing import Any

import pytest
from alliance_samples import ENERGIE
from django.test import Client

pytestmark = pytest.mark.django_db
URL = "/api/alliances"


def test_the_same_search_answers_from_memory(
    client: Client, base: dict[str, Any], django_assert_num_queries: Any
) -> None:
    first = client.get(URL, {"territory": "94018"})
    assert first["Cache-Control"] == "public, max-age=30"
    with django_assert_num_queries(0):
        again = client.get(URL, {"territory": "94018"})
    assert again.content == first.content
    other = client.get(URL, {"territory": "94018", "page": 2})
    assert other.json()["page"] == 2  # another search is another answer


def test_a_fiche_saved_here_shows_at_once(
    client: Client, base: dict[str, Any], make_fiche: Any
) -> None:
    assert client.get(URL, {"q": "énergétique"}).json()["count"] == 1
    make_fiche({**ENERGIE, "import_id": "energie-bis", "title": "Rénovation énergétique bis"})
    assert client.get(URL, {"q": "énergétique"}).json()["count"] == 2
    base["energie"].delete()
    assert client.get(URL, {"q": "énergétique"}).json()["count"] == 1
