"""Issue 9: axe (axe-core, through axe-playwright-python) finds no violation on the public pages of
every app, in French and in English, on the seed content, a published study and a completed
diagnostic. Pages are found by following the site's own links where they depend on content (a
region, a fiche, a structure, a fund), so a page added to those lists is checked too. Every
rule axe runs by default is kept (WCAG 2.0-2.2 A and AA and best practices); a page breaking one
fails with axe's report of each node.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

sys.path.insert(0, str(Path(__file__).with_name("diagnostic")))
from diagnostic_examples import ASSOCIATION  # noqa: E402
from results_samples import publish_all  # noqa: E402

STUDIES = Path(__file__).resolve().parents[2] / "studies"


@pytest.fixture(scope="module")
def actors_published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The figures of the demo IMPACT-Acteurs study (its « Regards croisés » page)."""
    from observatoire.studies.run import run_study

    root = tmp_path_factory.mktemp("acteurs")
    run_study(STUDIES / "impact-acteurs", root / "impact-acteurs", documents=False)
    return root


@pytest.fixture
def content(demo_published: Path, actors_published: Path) -> dict[str, str]:
    """The seed of every app, both demo studies published, a scorecard and a completed
    diagnostic; returns the paths that depend on them."""
    from observatoire.platform.alliances.content import load_seed as load_fiches
    from observatoire.platform.diagnostic import records as diagnostics
    from observatoire.platform.funds.content import load_content as load_funds
    from observatoire.platform.scorecards import access
    from observatoire.platform.scorecards.content import load_seed as load_scorecards
    from observatoire.platform.scorecards.models import Scorecard
    from observatoire.platform.support import demo
    from observatoire.platform.support.content import load_seed as load_structures

    publish_all(demo_published)
    publish_all(actors_published)
    load_fiches()
    load_funds()
    load_structures()
    demo.load()
    load_scorecards()
    public = [s for s in Scorecard.objects.order_by("pk") if access.is_public(s)]
    assert public, "no public scorecard in the seed"
    diagnostic, key = diagnostics.start("associations", initial=ASSOCIATION, commune="94018")
    diagnostics.complete(diagnostic)
    board = f"/alliances/{public[0].alliance.slug}/tableau-de-bord/"
    return {"scorecard": board, "diagnostic": key}


def _follow(page: Any, path: str, selector: str) -> str:
    """The address of the first link `selector` on the page at `path`."""
    page.goto(page.base_url + path)
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link {selector} on {path}"
    return str(href)


def _pages(page: Any, content: dict[str, str]) -> dict[str, int]:
    """Every public page and its status, the content-dependent ones found by following the lists'
    links; a few answers to bad input too, whose messages must be as readable as the pages."""
    from observatoire.platform.diagnostic import questionnaire

    key, board = content["diagnostic"], content["scorecard"]
    paths = [
        "/",
        "/resultats/",
        _follow(page, "/resultats/", "main a[href*='/regions/']"),
        "/resultats/regards-croises/",
        "/resultats/impact-citoyens/cartes/",
        "/resultats/impact-citoyens/comparer/?a=11&b=52",
        "/territoires/?q=charenton",
        "/territoires/94018/",
        "/territoires/94018/imprimer/",
        "/alliances/",
        "/alliances/?q=emploi&region=11",
        _follow(page, "/alliances/", ".result h2 a"),
        "/alliances/carte/",
        "/alliances/carte/?level=department",
        board,
        board + "flux/",
        _follow(page, board, "main a[href*='/indicateurs/']"),
        "/tableaux-de-bord/",
        "/tableaux-de-bord/sante-des-partenariats/",
        "/annuaire/",
        "/annuaire/?q=emploi",
        _follow(page, "/annuaire/", ".result h2 a"),
        "/annuaire/la-bonne-porte/",
        "/annuaire/la-bonne-porte/?actor_type=associations&employment=employeuse"
        "&commune=94018&need=reseaux",
        "/annuaire/carte/",
        "/fonds/",
        (fund := _follow(page, "/fonds/", "main h2 a")),
        _follow(page, fund, "main a[href*='/soutiens/']"),
        "/fonds/instruments/",
        _follow(page, "/fonds/instruments/", "main .result h2 a"),
        "/diagnostic/",
        *(f"/diagnostic/{key}/{m.code}/" for m in questionnaire.get().modules_for("associations")),
        f"/diagnostic/{key}/resultat/",
        "/diagnostic/statistiques/",
        "/comptes/connexion/",
    ]
    english = ["/", "/resultats/", paths[2], "/resultats/regards-croises/", "/territoires/94018/"]
    english += ["/alliances/", paths[11], "/annuaire/", "/fonds/"]
    english += ["/diagnostic/", f"/diagnostic/{key}/resultat/"]
    errors = {
        "/alliances/?region=99": 400,
        "/annuaire/la-bonne-porte/?actor_type=associations&commune=nulle-part": 400,
        "/page-qui-n-existe-pas/": 404,
    }
    return {p: 200 for p in paths + ["/en" + p for p in english]} | errors


def test_no_axe_violation_on_the_public_pages(page: Any, content: dict[str, str]) -> None:
    axe = Axe()
    reports = []
    for path, status in _pages(page, content).items():
        response = page.goto(page.base_url + path)
        assert response is not None and response.status == status, path
        page.wait_for_load_state("networkidle")
        results = axe.run(page)
        if results.violations_count:
            reports.append(f"{path}\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)
