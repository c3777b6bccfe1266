"""In the browser, without JavaScript needs: « la bonne porte » for two associations of
Charenton-le-Pont (94018), an employer one and a non-employer one."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ask(page: Any, employment: str, need: str | None = None) -> None:
    page.goto(page.base_url + "/annuaire/la-bonne-porte/")
    page.check("input[name=actor_type][value=associations]")
    page.check(f"input[name=employment][value={employment}]")
    page.fill("#commune", "Charenton-le-Pont")
    if need:
        page.check(f"input[name=need][value={need}]")
    page.click("button[type=submit]")
    page.wait_for_selector(".orientation-result")


def test_employer_association_finds_a_structure_covering_charenton(
    page: Any, directory: Any
) -> None:
    _ask(page, "employeuse", need="ingenierie")
    assert page.locator("#result-title").inner_text() == "Vos portes d'entrée à Charenton-le-Pont"
    first = page.locator(".door").first
    assert first.locator("h3").inner_text() == "Structure dla-94"
    reasons = first.locator(".why li").all_inner_texts()
    assert "Couvre Val-de-Marne, où se trouve votre commune" in reasons
    assert reasons[0].startswith("Votre association emploie des salariés")
    first.locator("h3 a").click()
    page.wait_for_selector("h1")
    covered = page.locator(".service-facts dd").first.inner_text()
    assert covered == "Val-de-Marne"  # the department of 94018


def test_non_employer_association_is_oriented_to_guidasso(page: Any, directory: Any) -> None:
    _ask(page, "non-employeuse")
    first = page.locator(".door").first
    assert first.locator("h3").inner_text() == "Structure guidasso-national"
    assert "y compris non employeuses" in first.locator(".why li").first.inner_text()
    assert page.locator("tr.applied").count() == 3  # the rules used are shown and marked
