"""Diagnostic fixtures: the demo study published by the real pipeline, the seed fiches, and a
helper that answers every page of the web questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def french() -> Any:
    """French unless a test says otherwise: a previous test may leave English active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture
def published(demo_published: Path, db: None) -> Path:
    from results_samples import publish_all

    publish_all(demo_published)
    return demo_published


@pytest.fixture
def seed(db: None) -> int:
    from observatoire.platform.alliances.content import load_seed

    return load_seed()


@pytest.fixture
def directory(db: None) -> int:
    """The support directory's seed: the national networks and the Paris Est Marne & Bois unit."""
    from observatoire.platform.support.content import load_seed

    return load_seed()


@pytest.fixture
def answer_all() -> Callable[..., str]:
    """Take the diagnostic through the pages with the test client; returns the link's key."""

    def run(client: Any, actor_type: str, answers: dict[str, Any], commune: str = "94018") -> str:
        from observatoire.platform.diagnostic import questionnaire

        response = client.post("/diagnostic/commencer/", {"actor_type": actor_type})
        assert response.status_code == 302, response.content
        key = response["Location"].split("/")[2]
        qn = questionnaire.get()
        for module in qn.modules_for(actor_type):
            posted: dict[str, Any] = {}
            for q in module.questions_for(actor_type):
                if q.kind == "actor_type":
                    posted[q.code] = actor_type
                elif q.kind == "commune":
                    posted[q.code] = commune
                else:
                    posted.update({k: answers[k] for k in q.answer_codes if k in answers})
            response = client.post(f"/diagnostic/{key}/{module.code}/", posted)
            assert response.status_code == 302, (module.code, response.content[:3000])
        assert response["Location"] == f"/diagnostic/{key}/resultat/"
        return key

    return run
