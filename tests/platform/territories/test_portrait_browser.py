"""The portrait and the results pages in chromium: no policy violation, every chart image drawn,
and « ma commune » suggesting names as one types (the form works without it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from results_samples import STUDY, write_run
from test_content_security_policy import RECORD_VIOLATIONS

from observatoire.platform.results.publishing import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/territoires/94018/",
    "/territoires/94018/imprimer/",
    "/",
    f"/resultats/{STUDY}/",
    f"/resultats/{STUDY}/regions/11/",
    f"/resultats/{STUDY}/cartes/",
    f"/resultats/{STUDY}/comparer/?a=11&b=52",
]


@pytest.fixture
def study(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    publish(write_run(tmp_path / STUDY))


def test_pages_draw_their_charts_under_the_policy(page, study: None) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(RECORD_VIOLATIONS)
    found, broken = {}, {}
    for path in PAGES:
        assert page.goto(page.base_url + path).status == 200, path
        for image in page.locator("img").all():
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        if violations := page.evaluate("window.__violations"):
            found[path] = violations
        unloaded = page.evaluate(
            "[...document.images].filter((i) => !i.complete || !i.naturalWidth).map((i) => i.src)"
        )
        if unloaded:
            broken[path] = unloaded
    assert found == {} and broken == {}


def test_ma_commune_suggests_then_leads_to_the_portrait(page, study: None) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    box = page.get_by_label("Ma commune, mon territoire")
    box.press_sequentially("charenton", delay=30)
    options = page.locator("#ma-commune-suggestions option")
    options.first.wait_for(state="attached")
    assert "Charenton-le-Pont (94018)" in [o.get_attribute("value") for o in options.all()]
    box.fill("Charenton-le-Pont (94018)")
    box.press("Enter")
    page.wait_for_url("**/territoires/94018/")
    assert page.locator("h1").inner_text() == "Charenton-le-Pont"
