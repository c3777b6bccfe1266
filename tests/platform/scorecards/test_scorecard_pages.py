"""Pages and roles: partners edit, curators see all, the public sees only what was published,
and a private scorecard or health check answers exactly as a missing one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from scorecard_samples import make_user

from observatoire.platform.scorecards import records, validation
from observatoire.platform.scorecards.models import Measurement

BOARD = "/alliances/ecole-entreprise/tableau-de-bord/"
MISSING = "/alliances/nexiste-pas/tableau-de-bord/"


@pytest.fixture
def filled(scorecard: Any, add_indicator: Any) -> Any:
    add_indicator(
        code="personnes-touchees",
        target="300",
        target_date="2025-06-30",
        baseline="100",
        baseline_date="2022-06-30",
    )
    add_indicator(
        code="budget-interne",
        name="Budget interne",
        perspective="actifs",
        level="realisation",
        unit="euros",
        is_public="non",
    )
    rows = [
        validation.clean_measurement(
            {
                "indicator": code,
                "date": "2023-06-30",
                "value": value,
                "confidence": "mesure",
                "source": "Bilan",
            },
            records.rules(scorecard),
        )
        for code, value in (("personnes-touchees", "250"), ("budget-interne", "4200"))
    ]
    records.save_measurements(scorecard, rows, None)
    records.save_asset(
        scorecard,
        validation.clean_asset(
            {
                "kind": "mecenat-competences",
                "description": "Juristes bénévoles",
                "partner": "Club d'entreprises",
            },
            ["Club d'entreprises"],
        ),
        None,
    )
    return scorecard


def _publish(scorecard: Any) -> None:
    records.update_settings(scorecard, validation.SettingsData("public"), None)


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


PAGES = (
    "",
    "flux/",
    "indicateurs/personnes-touchees/",
    "indicateurs/personnes-touchees/graphique.svg",
    "mesures.csv",
    "mesures.xlsx",
)


@pytest.mark.django_db
def test_a_private_scorecard_answers_as_a_missing_one(filled: Any, stranger: Any) -> None:
    for client in (_client(), _client(stranger)):
        for page in PAGES:
            assert client.get(BOARD + page).status_code == 404, page
            assert client.get(MISSING + page).status_code == 404, page
        for page in ("sante/", "mesures/", "historique/", "acces/", "actifs/ajouter/"):
            assert client.get(BOARD + page).status_code in (302, 404)
    stranger_client = _client(stranger)
    for page in ("sante/", "mesures/", "historique/", "acces/", "actifs/ajouter/"):
        assert stranger_client.get(BOARD + page).status_code == 404
        assert stranger_client.get(MISSING + page).status_code == 404
    assert b"Tableau de bord" not in _client(stranger).get("/alliances/ecole-entreprise/").content


@pytest.mark.django_db
def test_partners_and_curators_see_everything(filled: Any, partner_user: Any, curator: Any) -> None:
    for user in (partner_user, curator):
        client = _client(user)
        html = client.get(BOARD).content.decode()
        assert "Budget interne" in html and "non publié" in html
        assert "Juristes bénévoles" in html
        assert "4200" in client.get(BOARD + "mesures.csv").content.decode()
        for page in PAGES[1:4]:
            assert client.get(BOARD + page).status_code == 200, page


@pytest.mark.django_db
def test_the_public_reads_only_what_partners_published(filled: Any) -> None:
    _publish(filled)
    client = _client()
    html = client.get(BOARD).content.decode()
    assert "Personnes touchées" in html and "Budget interne" not in html
    assert "en bonne voie" in html  # 250: 75 % of the way at half the time
    assert "4200" not in client.get(BOARD + "mesures.csv").content.decode()
    assert client.get(BOARD + "indicateurs/budget-interne/").status_code == 404
    assert client.get(BOARD + "indicateurs/budget-interne/graphique.svg").status_code == 404
    svg = client.get(BOARD + "indicateurs/personnes-touchees/graphique.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    narrow = client.get(BOARD + "indicateurs/personnes-touchees/graphique.svg?format=etroit")
    assert b'width="' in narrow.content and narrow.content != svg.content  # the phone's chart
    assert (
        "Tableau de bord de l’alliance"
        in client.get("/alliances/ecole-entreprise/").content.decode()
    )
    # a visitor who may read but not edit is refused, not misled
    assert client.post(BOARD + "indicateurs/personnes-touchees/", {"value": "1"}).status_code == 403
    assert client.get("/en" + BOARD).status_code == 200


@pytest.mark.django_db
def test_a_draft_fiche_keeps_its_scorecard_private(make_fiche: Any) -> None:
    draft = make_fiche(import_id="brouillon", title="Brouillon", state="draft")
    scorecard = records.scorecard_for(draft)
    _publish(scorecard)
    assert _client().get(f"/alliances/{draft.slug}/tableau-de-bord/").status_code == 404


@pytest.mark.django_db
def test_a_partner_enters_a_measurement_and_bad_input_says_what(
    filled: Any, partner_user: Any
) -> None:
    client = _client(partner_user)
    url = BOARD + "indicateurs/personnes-touchees/"
    good = {"date": "2024-06-30", "value": "280", "confidence": "declaratif", "source": "Bilan"}
    assert client.post(url, good).status_code == 302
    measurement = Measurement.objects.get(date="2024-06-30")
    assert measurement.entered_by == partner_user
    assert measurement.history.get().history_user == partner_user
    bad = client.post(
        url, {**good, "date": "2024-07-01", "value": "\x00", "source_url": "javascript:x"}
    )
    assert bad.status_code == 400 and "NUL" in bad.content.decode()
    bad = client.post(url, {**good, "date": "2024-07-01", "source_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "http:// or https://" in bad.content.decode()
    assert not Measurement.objects.filter(date="2024-07-01").exists()


@pytest.mark.django_db
def test_uploading_a_file_with_one_bad_row_saves_nothing(filled: Any, partner_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        b"indicator,date,value,confidence,source\n"
        b"personnes-touchees,2024-06-30,280,declaratif,Bilan\n"
        b"personnes-touchees,2025-06-30,trois cents,declaratif,Bilan\n"
    )
    response = _client(partner_user).post(
        BOARD + "mesures/", {"file": SimpleUploadedFile("bilan.csv", content, "text/csv")}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "bilan.csv, row 3, column &#x27;value&#x27;: &#x27;trois cents&#x27; is not a number"
        in html
    )
    assert Measurement.objects.count() == 2  # the two of the fixture, nothing more


@pytest.mark.django_db
def test_editing_rows_and_the_history_of_changes(filled: Any, partner_user: Any) -> None:
    client = _client(partner_user)
    response = client.post(
        BOARD + "actifs/ajouter/",
        {"kind": "subvention", "description": "Subvention municipale", "value_eur": "10 000"},
    )
    assert (
        response.status_code == 400
        and "say how the euro value was obtained" in response.content.decode()
    )
    response = client.post(
        BOARD + "actifs/ajouter/",
        {
            "kind": "subvention",
            "description": "Subvention municipale",
            "value_eur": "10 000",
            "valuation_method": "Convention 2023",
        },
    )
    assert response.status_code == 302
    asset = filled.assets.get(description="Subvention municipale")
    assert client.post(BOARD + f"actifs/{asset.pk}/supprimer/").status_code == 302
    history = client.get(BOARD + "historique/").content.decode()
    assert "suppression" in history and "Subvention municipale" in history and "club" in history
    # another scorecard's row cannot be reached through this one
    assert client.get(BOARD + f"actifs/{asset.pk}/").status_code == 404


@pytest.mark.django_db
def test_health_check_views_only_after_answering(
    fiche: Any, scorecard: Any, partner_user: Any, curator: Any, stranger: Any
) -> None:
    check = records.open_health_check(scorecard, "Bilan 2024", None)
    town = fiche.partners.get(name="Ville de Charenton")
    answers = {
        "apport": "5",
        "benefices": "5",
        "equilibre": "5",
        "confiance": "5",
        "gouvernance": "5",
        "confiance_comment": "Très bonne entente",
    }
    records.answer_health_check(check, town, validation.clean_health_answers(answers), None)
    client = _client(partner_user)
    before = client.get(BOARD + "sante/").content.decode()
    assert "Très bonne entente" not in before and 'name="apport"' in before
    bad = client.post(BOARD + "sante/", {**answers, "apport": "9"})
    assert bad.status_code == 400 and "is not a rating from 1 to 5" in bad.content.decode()
    assert client.post(BOARD + "sante/", {**answers, "equilibre": "1"}).status_code == 302
    after = client.get(BOARD + "sante/").content.decode()
    assert "Très bonne entente" in after and "les vues divergent fortement" in after
    assert "Très bonne entente" in _client(curator).get(BOARD + "sante/").content.decode()
    assert _client(stranger).get(BOARD + "sante/").status_code == 404
    _publish(scorecard)
    assert _client(stranger).get(BOARD + "sante/").status_code == 404  # never public


@pytest.mark.django_db
def test_access_partners_name_colleagues_for_their_own_partner(
    fiche: Any, scorecard: Any, partner_user: Any, curator: Any
) -> None:
    colleague, other = make_user("collegue"), make_user("autre")
    town = fiche.partners.get(name="Ville de Charenton")
    club = fiche.partners.get(name="Club d'entreprises")
    client = _client(partner_user)
    client.post(BOARD + "acces/", {"username": "autre", "partner": town.pk})
    assert not other.partner_mandates.exists()  # not the partner they act for
    client.post(BOARD + "acces/", {"username": "collegue", "partner": club.pk})
    assert colleague.partner_mandates.get().partner == club
    _client(curator).post(BOARD + "acces/", {"username": "autre", "partner": town.pk})
    assert other.partner_mandates.get().partner == town


@pytest.mark.django_db
def test_rollup_and_aggregate_pages(filled: Any) -> None:
    _publish(filled)
    client = _client()
    html = client.get("/tableaux-de-bord/?year=2023").content.decode()
    assert "Personnes touchées" in html and ">250<" in html
    assert "Budget interne" not in html
    for query in ("year=deux", "year=99999", "objective=<script>", "territory=zzz", "group=x"):
        response = client.get("/tableaux-de-bord/?" + query)
        assert response.status_code == 400, query
        assert "<script>" not in response.content.decode()
    assert client.get("/tableaux-de-bord/?group=region").status_code == 200
    page = client.get("/tableaux-de-bord/sante-des-partenariats/").content.decode()
    assert "non publié" in page


@pytest.mark.django_db
def test_pages_in_english(filled: Any, curator: Any) -> None:
    _publish(filled)
    client = _client(curator)
    for page in ("", "flux/", "indicateurs/personnes-touchees/", "sante/", "mesures/"):
        html = client.get("/en" + BOARD + page).content.decode()
        assert '<html lang="en">' in html
        for french in (
            "Tableau de bord de l’alliance",
            "Enjeux communs",
            "Mesures (CSV)",
            "Santé du partenariat",
            "Des actifs aux enjeux",
        ):
            assert french not in html, (page, french)
    html = client.get("/en" + BOARD).content.decode()
    assert "Scorecard of the alliance" in html and "Common stakes" in html and "on track" in html
    assert "Scorecards of the alliances" in _client().get("/en/tableaux-de-bord/").content.decode()


@pytest.mark.django_db
def test_curators_reach_every_row_in_the_admin(filled: Any, curator: Any) -> None:
    client = _client(curator)
    for model in ("scorecard", "asset", "indicator", "measurement", "partnerrepresentative"):
        assert client.get(f"/admin/scorecards/{model}/").status_code == 200, model
    asset = filled.assets.get()
    assert client.get(f"/admin/scorecards/asset/{asset.pk}/history/").status_code == 200
