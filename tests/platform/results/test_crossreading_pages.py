"""The "Regards croisés" page and the actor figures: read from the published demo studies
(IMPACT-Citoyens and IMPACT-Acteurs, computed once for the module), reachable from the results
index and the home page, and shown where a page speaks of an actor type."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from results_samples import publish_all

from observatoire.platform.alliances.models import Alliance, Partner
from observatoire.studies.run import run_study

STUDIES = Path(__file__).resolve().parents[3] / "studies"
LABELS = ("Citoyens", "Élus locaux", "Entreprises", "Associations", "Fondations")
pytestmark = pytest.mark.xdist_group("published-demo")


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("published")
    for code in ("impact-citoyens", "impact-acteurs"):
        run_study(STUDIES / code, root / code)
    return root


@pytest.fixture
def published(demo_output: Path, db: None) -> Path:
    """Both runs published into the platform, as `observatoire demo` publishes them."""
    publish_all(demo_output)
    return demo_output


@pytest.mark.django_db
def test_regards_croises_shows_the_five_populations_with_intervals(
    client: Client, published: Path
) -> None:
    response = client.get("/resultats/regards-croises/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Regards croisés : IMPACT-Acteurs 2019-2022</h1>" in html
    assert "Répondants synthétiques" in html
    table = html[html.index('id="q-Q2"') : html.index('id="q-Q7"')]
    assert [table.index(f'<th scope="row">{label}') for label in LABELS] == sorted(
        table.index(f'<th scope="row">{label}') for label in LABELS
    )
    assert table.count('<svg class="forest') == 5  # each population's interval drawn
    assert table.count(" – ") >= 5  # and written
    assert "▲ +18\u00a0pts" in table  # mayors against citizens, significant
    assert "92\u00a0%" in table and "83\u00a0%" in table  # the published figures, beside
    q7 = html[html.index('id="q-Q7"') :]
    assert q7.count("sa propre performance</span>") == 3  # the diagonal
    assert "regards-croises.pdf" in html and "tables.xlsx" in html
    assert "Cinq enquêtes distinctes" in html and "34\u202f746" in html  # mayors' frame


@pytest.mark.django_db
def test_reachable_from_the_results_index_and_the_home_page(
    client: Client, published: Path
) -> None:
    index = client.get("/resultats/").content.decode()
    assert "<h1>IMPACT-Citoyens 2022</h1>" in index  # the index still opens on the citizens
    assert 'href="/resultats/regards-croises/"' in index
    home = client.get("/").content.decode()
    assert 'href="/resultats/regards-croises/"' in home
    assert 'href="/resultats/impact-citoyens/regions/52/"' in home  # regions: the citizens'
    assert client.get("/resultats/impact-acteurs/").status_code == 200  # same page
    assert client.get("/resultats/impact-acteurs/regions/52/").status_code == 404
    document = client.get("/resultats/impact-acteurs/documents/regards-croises.pdf")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_no_study_of_several_populations_is_404(client: Client) -> None:
    assert client.get("/resultats/regards-croises/").status_code == 404
    assert "regards-croises" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_in_english(client: Client, published: Path) -> None:
    html = client.get("/en/resultats/regards-croises/").content.decode()
    assert "Cross-readings: IMPACT-Acteurs 2019-2022" in html and "Gap with citizens" in html
    assert "92%" in html


@pytest.mark.django_db
def test_the_alliances_of_an_actor_type_show_what_that_actor_says(
    client: Client, published: Path
) -> None:
    html = client.get("/alliances/?actor_type=entreprises").content.decode()
    assert "Ce que disent les entreprises (IMPACT-Acteurs 2019-2022)" in html
    assert "sur leur propre performance" in html  # 55 % on their own performance
    assert 'href="/resultats/regards-croises/"' in html
    assert "Ce que disent" not in client.get("/alliances/").content.decode()
    both = client.get("/alliances/?actor_type=entreprises&actor_type=associations")
    assert "Ce que disent" not in both.content.decode()  # one actor type at a time


@pytest.mark.django_db
def test_an_alliance_shows_what_its_partners_kinds_say(client: Client, published: Path) -> None:
    alliance = Alliance.objects.create(
        slug="demo-cross", title="Alliance de démonstration", summary="Résumé.", state="published"
    )
    Partner.objects.create(alliance=alliance, name="Mairie", actor_type="collectivites")
    Partner.objects.create(alliance=alliance, name="Une PME", actor_type="entreprises")
    html = client.get("/alliances/demo-cross/").content.decode()
    assert "Ce que disent les élus locaux" in html
    assert "Ce que disent les entreprises" in html
    assert "Ce que disent les associations" not in html
