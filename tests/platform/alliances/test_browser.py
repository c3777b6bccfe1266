"""In the browser: search and filter, open a fiche, a contributor's draft published by a curator."""

from __future__ import annotations

import pytest
from alliance_samples import VITAWIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/comptes/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "motdepasse-solide-1")
    page.click("button[type=submit]")


def test_search_filter_and_open_a_fiche(page, base) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/alliances/")
    page.fill("#q", "décrochage")
    page.click(".search-row button[type=submit]")
    page.check("fieldset[data-facet=region] input[value='11']")  # submits the form
    page.wait_for_url("**region=11**")
    assert page.locator(".result").count() == 1
    page.click("text=VitaWin et Q2ER")
    assert page.locator("h1").inner_text().startswith("VitaWin et Q2ER")
    assert page.evaluate("window.pwned === undefined")


def test_contributor_drafts_curator_publishes_anonymous_sees_only_then(
    page, contributor, curator, chromium_browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    _login(page, "camille")
    page.goto(page.base_url + "/alliances/proposer/")
    page.fill("#id_title", VITAWIN["title"])
    page.fill("#id_summary", VITAWIN["summary"])
    page.fill("#id_territories", "200057941")
    page.check("input[name=objectives][value=co-construction-territoriale]")
    page.click("text=Enregistrer le brouillon")
    page.wait_for_selector(".state-banner[data-state=draft]")
    fiche_url = page.url

    anonymous = chromium_browser.new_context(locale="fr-FR").new_page()
    assert anonymous.goto(fiche_url).status == 404
    anonymous.goto(live_server.url + "/alliances/?q=décrochage")
    assert anonymous.locator(".result").count() == 0

    page.click("button[value=submit]")
    page.wait_for_selector(".state-banner[data-state=review]")
    page.context.clear_cookies()
    _login(page, "claude")
    page.goto(fiche_url)
    page.click("button[value=publish]")
    page.wait_for_selector(".messages")
    assert page.locator(".state-banner").count() == 0

    assert anonymous.goto(fiche_url).status == 200
    anonymous.goto(live_server.url + "/alliances/?q=décrochage")
    assert anonymous.locator(".result").count() == 1
    anonymous.context.close()
