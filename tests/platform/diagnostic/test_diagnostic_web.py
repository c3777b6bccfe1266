"""The web questionnaire: anonymous, resumable by its link, one module per page, errors that
lose nothing; the result page, its PDF, the re-run, forgetting, and the counts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from diagnostic_examples import ASSOCIATION, AUTHORITY, CITIZEN
from django.test import Client

from observatoire.platform.diagnostic.models import CompletionCount, Diagnostic

pytestmark = pytest.mark.django_db


def test_start_creates_an_anonymous_diagnostic_under_an_unguessable_link(client: Client) -> None:
    response = client.post("/diagnostic/commencer/", {"actor_type": "associations"})
    key = response["Location"].split("/")[2]
    assert len(key) == 32
    diagnostic = Diagnostic.objects.get()
    assert key not in diagnostic.key_hash and len(diagnostic.key_hash) == 64  # only a hash kept
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert '<legend class="question-label">Votre association emploie-t-elle' in html
    assert "Reprendre plus tard" in html and key in html


def test_a_bad_start_or_an_unknown_link_says_so(client: Client) -> None:
    response = client.post("/diagnostic/commencer/", {"actor_type": "martiens"}, follow=True)
    assert "Choisissez le profil" in response.content.decode()
    response = client.get("/diagnostic/" + "A" * 32 + "/profil/")
    assert response.status_code == 404
    assert "Ce lien n'ouvre aucun diagnostic" in response.content.decode()


def test_bad_answers_get_clear_messages_and_lose_nothing(client: Client) -> None:
    start = client.post("/diagnostic/commencer/", {"actor_type": "associations"})
    key = start["Location"].split("/")[2]
    profile = {"TYPE_ACTEUR": "associations", "COMMUNE": "94018", "TAILLE": "petite-moyenne",
               "EMPLOYEUR": "employeuse", "DOMAINES": ["education"]}  # fmt: skip
    assert client.post(f"/diagnostic/{key}/profil/", profile).status_code == 302
    posted = {"PARTENARIATS": "des-dizaines", "ANCIENNETE": "4", "ENGAGEMENT": "equipe",
              "MESURE": "resultats", "CADRE_COMMUN": "oui"}  # fmt: skip
    response = client.post(f"/diagnostic/{key}/pratiques/", posted)
    assert response.status_code == 422
    html = response.content.decode()
    assert "2 réponses sont à revoir" in html
    assert "réponse inconnue &#x27;des-dizaines&#x27;" in html
    assert 'href="#STRATEGIE">Vos partenariats sont-ils…</a> : réponse obligatoire' in html
    assert 'value="equipe" checked' in html and 'value="4"' in html  # shown as typed
    saved = Diagnostic.objects.get().answers
    assert saved["ENGAGEMENT"] == "equipe" and saved["ANCIENNETE"] == 4  # the good ones kept
    assert saved["EMPLOYEUR"] == "employeuse"  # earlier pages untouched
    assert "PARTENARIATS" not in saved


def test_a_result_needs_every_required_answer(client: Client, answer_all: Any) -> None:
    start = client.post("/diagnostic/commencer/", {"actor_type": "citoyens"})
    key = start["Location"].split("/")[2]
    response = client.get(f"/diagnostic/{key}/resultat/")
    assert response["Location"] == f"/diagnostic/{key}/profil/?verifier=1"
    html = client.get(response["Location"]).content.decode()
    assert "Commune où vous agissez principalement</a> : réponse obligatoire" in html


@pytest.mark.usefixtures("published", "seed", "directory")
def test_result_page_shows_door_reasons_peers_and_recommendations(
    client: Client, answer_all: Any
) -> None:
    key = answer_all(client, "associations", ASSOCIATION)
    html = client.get(f"/diagnostic/{key}/resultat/").content.decode()
    assert "Votre porte d'entrée : Équilibrer et hybrider les modèles socio-économiques" in html
    assert "Étage atteint : 1 sur 4." in html
    assert "plutôt qu&#x27;une cible inatteignable" in html
    for score in ("<strong>52</strong>/100", "<strong>44</strong>/100", "<strong>11</strong>/100"):
        assert score in html
    # peers: the region's citizens and France, with interval and base, and the synthetic notice
    assert "Citoyens, Île-de-France" in html and "Citoyens, France" in html
    assert "intervalle de confiance à 95 %" in html and "base : 200 répondants" in html
    assert "Répondants synthétiques" in html
    # recommendations: fiches of the EPT and the region's results, each with why
    assert "Q2ER et VitaWin" in html
    assert "Sur votre territoire : Paris Est Marne et Bois." in html
    assert "/resultats/impact-citoyens/regions/11/" in html
    # structures covering 94018, each saying why (an employer association needing engineering)
    structures = html[html.index('id="structures-title"') : html.index('id="readings-title"')]
    assert "Dispositif local d&#x27;accompagnement" in structures or "DLA" in structures
    assert "Couvre votre commune" in structures
    assert html.count('class="why"') >= 6


@pytest.mark.usefixtures("published", "seed")
def test_the_pdf_result_is_one_or_two_a4_pages(client: Client, answer_all: Any) -> None:
    from pypdf import PdfReader

    key = answer_all(client, "associations", ASSOCIATION)
    response = client.get(f"/diagnostic/{key}/resultat.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(pdf.pages) <= 2
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Votre porte d'entrée" in text and "Q2ER et VitaWin" in text


@pytest.mark.usefixtures("seed")
def test_rerun_is_prefilled_and_compared_with_the_previous_result(
    client: Client, answer_all: Any
) -> None:
    key = answer_all(client, "collectivites", AUTHORITY)
    response = client.post(f"/diagnostic/{key}/refaire/")
    new_key = response["Location"].split("/")[2]
    assert new_key != key
    profile = client.get(response["Location"]).content.decode()
    assert 'value="grande" checked' in profile  # pre-filled
    client.post(f"/diagnostic/{new_key}/profil/", {"TYPE_ACTEUR": "collectivites",
                "COMMUNE": "94018", "TAILLE": "grande", "DOMAINES": ["mobilite"]})  # fmt: skip
    client.post(f"/diagnostic/{new_key}/territoire/", {"DIALOGUE": "parfois",
                "PROJET_TERRITOIRE": "co-pilote", "CATALYSE": "travail"})  # fmt: skip
    pages = ("collectivites", "envies", "regards")
    for page in pages:
        data = (
            {k: v for k, v in AUTHORITY.items() if k.startswith("COL_")} if page == pages[0] else {}
        )
        if page == "envies":
            data = {"MOYENS": "beaucoup"}
        response = client.post(f"/diagnostic/{new_key}/{page}/", data)
    assert response["Location"] == f"/diagnostic/{new_key}/resultat/"
    html = client.get(response["Location"]).content.decode()
    assert "Depuis votre diagnostic du" in html
    assert "(−11)" in html  # co-construction: 83 -> 72 once dialogue fell from 3/3 to 1/3
    assert Diagnostic.objects.count() == 2
    assert client.get(f"/diagnostic/{key}/resultat/").status_code == 200  # the old link lives


@pytest.mark.usefixtures("seed")
def test_forgetting_erases_the_answers_but_not_the_counts(client: Client, answer_all: Any) -> None:
    key = answer_all(client, "citoyens", CITIZEN)
    assert client.get(f"/diagnostic/{key}/effacer/").status_code == 200
    client.post(f"/diagnostic/{key}/effacer/")
    assert not Diagnostic.objects.exists()
    assert client.get(f"/diagnostic/{key}/resultat/").status_code == 404
    cell = CompletionCount.objects.get()
    assert (cell.actor_type, cell.door, cell.region, cell.count) == (
        "citoyens", "innovation-societale", "11", 1,
    )  # fmt: skip


@pytest.mark.usefixtures("seed")
def test_a_diagnostic_is_counted_once(client: Client, answer_all: Any) -> None:
    key = answer_all(client, "citoyens", CITIZEN)
    client.post(f"/diagnostic/{key}/regards/", {})  # finishing again
    assert CompletionCount.objects.get().count == 1


def test_counts_are_shown_only_from_ten(client: Client) -> None:
    html = client.get("/diagnostic/statistiques/").content.decode()
    assert "Moins de 10 diagnostics terminés" in html
    CompletionCount.objects.create(actor_type="associations", door="performance-engagement",
                                   region="11", count=12)  # fmt: skip
    CompletionCount.objects.create(actor_type="entreprises", door="performance-engagement",
                                   region="52", count=3)  # fmt: skip
    CompletionCount.objects.create(actor_type="citoyens", door="innovation-societale",
                                   region="52", count=15)  # fmt: skip
    html = client.get("/diagnostic/statistiques/").content.decode()
    assert "30 diagnostics terminés" in html
    assert ">12<" in html and ">15<" in html and ">3<" not in html
    # by region: 11 has 12, 52 has 18: nothing hidden, nothing to protect
    assert ">18<" in html


def test_landing_and_home_lead_to_the_diagnostic(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    home = client.get("/").content.decode()
    assert home.count('href="/diagnostic/?objectif=') == 4
    landing = client.get("/diagnostic/?objectif=innovation-societale").content.decode()
    assert 'name="objectif" value="innovation-societale"' in landing
    start = client.post("/diagnostic/commencer/", {"actor_type": "entreprises",
                                                   "objectif": "innovation-societale"})  # fmt: skip
    assert start.status_code == 302
    assert Diagnostic.objects.get().answers == {"ENVIES": ["innovation-societale"]}


def test_diagnostics_left_unopened_for_a_year_are_purged(client: Client) -> None:
    import datetime

    from django.core.management import call_command

    client.post("/diagnostic/commencer/", {"actor_type": "entreprises"})
    client.post("/diagnostic/commencer/", {"actor_type": "citoyens"})
    old = Diagnostic.objects.filter(actor_type="citoyens")
    old.update(last_active_on=datetime.date.today() - datetime.timedelta(days=400))
    out = io.StringIO()
    call_command("purge_diagnostics", "--dry-run", stdout=out)
    assert "1 diagnostic(s) unopened for 365 days would be erased" in out.getvalue()
    assert Diagnostic.objects.count() == 2
    call_command("purge_diagnostics", stdout=out)
    assert list(Diagnostic.objects.values_list("actor_type", flat=True)) == ["entreprises"]


@pytest.mark.usefixtures("seed", "directory")
def test_a_non_employer_association_is_oriented_to_guidasso_first(
    client: Client, answer_all: Any
) -> None:
    from diagnostic_examples import NEWCOMER

    key = answer_all(client, "associations", NEWCOMER)
    html = client.get(f"/diagnostic/{key}/resultat/").content.decode()
    structures = html[html.index('id="structures-title"') : html.index('id="readings-title"')]
    first = structures[structures.index("<h4>") : structures.index("</h4>")]
    assert "Guid&#x27;Asso" in first


def test_the_diagnostic_in_english(client: Client) -> None:
    landing = client.get("/en/diagnostic/").content.decode()
    assert "Where do you stand in joining forces?" in landing and "Start the diagnostic" in landing
    assert "Commencer" not in landing
    start = client.post("/en/diagnostic/commencer/", {"actor_type": "entreprises"})
    page = client.get(start["Location"]).content.decode()
    assert start["Location"].startswith("/en/diagnostic/")
    assert "Your profile" in page and "What is the size of your organisation?" in page
    assert "Quelle est la taille" not in page
