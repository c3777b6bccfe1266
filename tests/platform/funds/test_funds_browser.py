"""In the browser: a fund manager records a grant, grants it and records its payment; visitors
never see the request, and the history keeps who did what."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from observatoire.platform.funds.models import Fund, Support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, user: Any) -> None:
    """The user's session, made by Django's test client, handed to the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base_url}])


def test_a_fund_manager_records_a_grant(
    page: Any, content: Fund, manager: Any, chromium_browser: Any, live_server: Any
) -> None:
    _log_in(page, manager)
    page.goto(page.base_url + "/fonds/fonds-odd-17/")
    page.click("text=Enregistrer un soutien")
    page.select_option("#id_form", "financement-direct")
    page.fill("#id_alliance", "club-ess-urgence-etudiante")
    page.select_option("#id_strand", "co-construction-territoriale")
    page.fill("#id_description", "Une aide au lancement de la deuxième saison.")
    page.fill("#id_start", "2023")
    page.click("form.fiche-form button[type=submit]")
    assert page.locator(".error").first.inner_text().startswith("direct funding needs its amount")
    page.fill("#id_amount_eur", "5 000")
    page.click("form.fiche-form button[type=submit]")
    page.wait_for_selector(".status[data-status=requested]")
    support_url = page.url

    visitor = chromium_browser.new_context(locale="fr-FR").new_page()
    assert visitor.goto(support_url).status == 404

    page.click("button[data-action=grant]")
    page.wait_for_selector(".status[data-status=granted]")
    page.click("button[data-action=pay]")
    page.wait_for_selector(".status[data-status=paid]")
    history = page.locator(".history li").all_inner_texts()
    assert len(history) == 3 and all("morgane" in line for line in history)
    assert "pay" in history[0] and "création" in history[-1]

    support = Support.objects.get(start="2023")
    assert support.amount_eur == 5000 and support.status == "paid"
    assert visitor.goto(support_url).status == 404  # not published by its manager
    visitor.goto(live_server.url + "/fonds/fonds-odd-17/")
    assert "deuxième saison" not in visitor.content()
    visitor.context.close()
