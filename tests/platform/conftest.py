"""Platform fixtures: a Playwright page driving Debian's chromium against the live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = os.environ.get("OBSERVATOIRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache (kept search answers are per process)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a request to /en/ through the test client leaves
    English active in its thread (LocaleMiddleware activates, nothing deactivates), so a test that
    ran after one answered in English or French depending on how xdist shared the tests out."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One headless chromium for the session. A missing chromium fails the browser tests, never
    a silent skip (`make test` installs it first); leave them out knowingly: `-m "not browser"`."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser page (French locale) with `page.base_url` set to the live server."""
    context = chromium_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture(scope="session")
def demo_published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published folder of the demo IMPACT-Citoyens study (synthetic respondents), computed
    once per test process by the study pipeline itself."""
    from observatoire.studies.compute import compute_study
    from observatoire.studies.outputs.publication import Publication
    from observatoire.studies.outputs.tidy import write_tidy
    from observatoire.studies.spec.validate import validate_study

    root = tmp_path_factory.mktemp("published")
    out = root / "impact-citoyens"
    out.mkdir()
    study, waves = validate_study(ROOT / "studies" / "impact-citoyens")
    write_tidy(Publication(compute_study(study, waves)), out)
    return root
