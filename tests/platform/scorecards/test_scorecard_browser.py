"""In the browser: a partner enters a measurement; a health check where partners diverge."""

from __future__ import annotations

from typing import Any

import pytest

from observatoire.platform.scorecards import records, validation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOARD = "/alliances/ecole-entreprise/tableau-de-bord/"


def _login(page: Any, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "motdepasse-solide-1")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_partner_enters_a_measurement(page: Any, scorecard: Any, partner_user: Any) -> None:
    records.save_indicator(
        scorecard,
        validation.clean_indicator(
            {
                "code": "personnes-touchees",
                "baseline": "100",
                "baseline_date": "2022-09-01",
                "target": "300",
                "target_date": "2024-09-01",
            }
        ),
        None,
    )
    _login(page, "club")
    page.goto(page.base_url + "/alliances/ecole-entreprise/")
    page.click("text=Tableau de bord de l’alliance")
    page.click("text=Personnes touchées")
    page.fill("#period_start", "2022-09-01")
    page.fill("#date", "2023-08-31")
    page.fill("#value", "1 234,5")  # written the French way
    page.select_option("#confidence", "mesure")
    page.fill("#source", "Registre des actions 2022-2023")
    page.click("text=Enregistrer la mesure")
    page.wait_for_selector(".messages")
    row = page.locator("table.measurements tbody tr")
    assert row.count() == 1 and "1\u202f234,5" in row.inner_text()
    assert page.locator("figure.chart img").count() == 1
    page.click("nav.tabs >> text=Tableau de bord")
    status = page.locator("#enjeux table.indicators .status").inner_text()
    assert "cible atteinte" in status
    page.click("nav.tabs >> text=Historique")
    assert "club" in page.locator("table.history").inner_text()


def test_a_divergent_health_check(page: Any, fiche: Any, scorecard: Any, partner_user: Any) -> None:
    check = records.open_health_check(scorecard, "Bilan 2024", None)
    town = fiche.partners.get(name="Ville de Charenton")
    agreed = {
        item: "4" for item in ("apport", "benefices", "equilibre", "confiance", "gouvernance")
    }
    records.answer_health_check(
        check,
        town,
        validation.clean_health_answers(
            {**agreed, "equilibre": "5", "equilibre_comment": "Chacun y trouve son compte"}
        ),
        None,
    )
    _login(page, "club")
    page.goto(page.base_url + BOARD + "sante/")
    assert page.locator("text=Chacun y trouve son compte").count() == 0  # not before answering
    for item, rating in {**agreed, "equilibre": "1", "gouvernance": "3"}.items():
        page.check(f"input[name={item}][value='{rating}']")
    page.fill("#c-equilibre", "Nous apportons bien plus que nous ne recevons")
    page.click("text=Envoyer nos réponses")
    page.wait_for_selector(".health-item")
    balance = page.locator(".health-item.health-rouge")
    assert balance.count() == 1
    text = balance.inner_text()
    assert "Équilibre" in text and "les vues divergent fortement" in text
    assert "Chacun y trouve son compte" in text and "Nous apportons bien plus" in text
    assert page.locator(".health-item.health-orange").count() == 0
    assert page.locator(".health-item.health-vert").count() == 4
    assert "Écart entre la note la plus basse et la plus haute : 4" in text
