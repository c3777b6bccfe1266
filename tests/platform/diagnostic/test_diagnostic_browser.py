"""In the browser: an employer association of Charenton-le-Pont takes the diagnostic from the home
page and gets its door, reasons, a fiche of its EPT and a structure covering its commune; bad
answers get clear messages and lose nothing; everything works with the keyboard, without
JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from diagnostic_examples import ASSOCIATION

from observatoire.platform.diagnostic import questionnaire

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seed", "published", "directory"),
]


def _answer_page(page: Any, answers: dict[str, Any], actor_type: str) -> None:
    """Tick this page's answers as a visitor would (labels are clickable)."""
    module = page.url.rstrip("/").rsplit("/", 1)[-1]
    (current,) = [m for m in questionnaire.get().modules if m.code == module]
    for q in current.questions_for(actor_type):
        for key in q.answer_codes:
            value = answers.get(key)
            if value is None or q.kind in ("actor_type", "commune"):
                continue
            if q.kind == "number":
                page.fill(f"#{key}", str(value))
                continue
            for code in value if isinstance(value, list) else [value]:
                page.check(f"#{key.replace('.', '-')}-{code}")


def test_an_employer_association_of_charenton_finds_its_door(page: Any) -> None:
    page.goto(page.base_url + "/")
    page.click("text=Équilibrer et hybrider les modèles socio-économiques")
    assert page.locator("h1").inner_text() == "Où en êtes-vous du faire alliance ?"
    page.check("#actor-associations")
    page.click("text=Commencer le diagnostic")
    assert page.is_checked("#TYPE_ACTEUR-associations")
    page.fill("#COMMUNE", "Charenton-le-Pont")
    _answer_page(page, ASSOCIATION, "associations")
    page.click("text=Enregistrer et continuer")
    while "/resultat/" not in page.url:
        _answer_page(page, ASSOCIATION, "associations")
        page.click("form.diag-form button[value=next]")
    assert page.locator("h1").inner_text() == "Votre résultat"
    door = page.locator("#door-title").inner_text()
    assert door.startswith("Votre porte d'entrée : Équilibrer et hybrider les modèles")
    reasons = page.locator(".reasons li").all_inner_texts()
    assert reasons[0].startswith("Vous avez choisi « Équilibrer et hybrider")
    fiches = page.locator("ul[aria-labelledby=fiches-title] > li")
    vitawin = fiches.filter(has_text="Q2ER et VitaWin")
    assert vitawin.count() == 1
    assert "Sur votre territoire : Paris Est Marne et Bois." in vitawin.inner_text()
    structures = page.locator("ul[aria-labelledby=structures-title] > li")
    assert structures.count() >= 1
    assert "Couvre votre commune" in structures.first.inner_text()
    assert "Pourquoi cette porte" in structures.first.inner_text()
    assert page.locator("text=Citoyens, Île-de-France").count() >= 1
    href = page.get_attribute("text=Télécharger le résultat (PDF)", "href")
    pdf = page.request.get(page.base_url + href)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")


def test_bad_answers_get_a_clear_message_and_lose_nothing(page: Any) -> None:
    page.goto(page.base_url + "/diagnostic/")
    page.check("#actor-associations")
    page.click("text=Commencer le diagnostic")
    page.fill("#COMMUNE", "94018")
    _answer_page(page, ASSOCIATION, "associations")
    page.click("text=Enregistrer et continuer")
    # an unknown code (a tampered form) and a required answer left out
    page.check("#ENGAGEMENT-equipe")
    page.check("#MESURE-resultats")
    page.check("#CADRE_COMMUN-oui")
    page.fill("#ANCIENNETE", "4")
    page.eval_on_selector("#PARTENARIATS-une", "input => { input.value = 'des-dizaines'; }")
    page.check("#PARTENARIATS-une")
    page.click("text=Enregistrer et continuer")
    summary = page.locator(".error-summary")
    assert "2 réponses sont à revoir" in summary.inner_text()
    assert "réponse inconnue 'des-dizaines'" in summary.inner_text()
    assert "Vos partenariats sont-ils… : réponse obligatoire" in summary.inner_text()
    assert page.is_checked("#ENGAGEMENT-equipe") and page.input_value("#ANCIENNETE") == "4"
    summary.locator("a[href='#STRATEGIE']").click()  # the summary leads to the question
    page.check("#STRATEGIE-recurrents")
    page.check("#PARTENARIATS-2-5")
    page.click("text=Enregistrer et continuer")
    assert "/modeles/" in page.url
    page.click("text=Vos partenariats aujourd'hui")  # back: everything is still there
    assert page.is_checked("#STRATEGIE-recurrents") and page.is_checked("#ENGAGEMENT-equipe")
    page.click("text=Votre profil")
    assert page.is_checked("#EMPLOYEUR-employeuse") and "Charenton-le-Pont" in page.content()


def test_the_questionnaire_works_with_the_keyboard_alone(page: Any) -> None:
    page.goto(page.base_url + "/diagnostic/")
    page.focus("#actor-citoyens")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/profil/")
    page.focus("#COMMUNE")
    page.keyboard.type("94018")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first fragility's box
    page.keyboard.press("Enter")
    page.wait_for_url("**/citoyens/")
    assert page.locator("h1").inner_text() == "Votre engagement"
