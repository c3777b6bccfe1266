"""« Ma commune » and the territory portrait: what the studies say about the territory (its
study region, the communes of its size class, France), its alliances up and down, the support
structures covering it, a printable version, charts as SVG, PNG and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from results_samples import NOTICE, STUDY

pytestmark = pytest.mark.django_db


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("typed", "portrait"),
    [
        ("94018", "/territoires/94018/"),
        ("Charenton-le-Pont (94018)", "/territoires/94018/"),  # a suggestion picked
        ("charenton le pont", "/territoires/94018/"),  # one name fits
        ("REG-11", "/territoires/REG-11/"),
        ("DEP-94", "/territoires/DEP-94/"),
        ("200057941", "/territoires/EPT-200057941/"),
        ("75101", "/territoires/75056/"),  # an arrondissement: its city
    ],
)
def test_what_is_typed_leads_to_the_portrait(client: Client, typed: str, portrait: str) -> None:
    response = client.get("/territoires/", {"q": typed})
    assert response.status_code == 302 and response["Location"] == portrait


def test_a_name_several_territories_bear_lists_them(client: Client) -> None:
    html = _html(client, "/territoires/?q=charenton")
    assert 'href="/territoires/94018/"' in html and "Charenton-du-Cher" in html
    both = _html(client, "/territoires/?q=94")  # Val-de-Marne and Corse
    assert 'href="/territoires/DEP-94/"' in both and 'href="/territoires/REG-94/"' in both
    nothing = _html(client, "/territoires/?q=zzzqqq")
    assert "Aucun territoire ne correspond" in nothing
    nul = client.get("/territoires/", {"q": "a\x00b" * 100})
    assert nul.status_code == 400  # platform.nulbytes refuses it before any view, never a 500


def test_the_box_is_on_the_home_page_and_the_results_pages(client: Client, study: None) -> None:
    for url in ("/", "/resultats/", f"/resultats/{STUDY}/regions/11/"):
        html = _html(client, url)
        assert (
            'action="/territoires/"' in html and 'data-territory-suggest="/api/territories"' in html
        )


def test_charenton_shows_its_region_its_size_class_and_the_q2er_fiche(
    client: Client, seeded: None
) -> None:
    html = _html(client, "/territoires/94018/")
    assert "<h1>Charenton-le-Pont</h1>" in html
    assert "de 20\u00a0000 à 50\u00a0000 habitants" in html
    for column in ("Île-de-France", "Communes de 20\u00a0000 à 50\u00a0000 habitants", "France"):
        assert f'<th scope="col" class="num">{column}</th>' in html
    assert "Le « jouer collectif » : Utile ou incontournable" in html
    assert "Santé du territoire : Dynamique" in html
    assert NOTICE in html  # demonstration data say so
    assert "Q2ER et VitaWin" in html  # an alliance of its EPT, Paris Est Marne & Bois
    assert 'href="/territoires/EPT-200057941/"' in html  # up
    assert "Les structures d'accompagnement" in html and "fictive" in html
    for chart in ("fragilites", "sante", "jouer-collectif", "vagues"):
        assert (
            f"/resultats/{STUDY}/graphiques/{chart}.png?territoire=REG-11&amp;taille=20000-50000"
            in html
        )
    assert "débat" not in html.lower()  # no debates yet: nothing said, no empty placeholder


def test_only_significant_differences_are_marked(client: Client, study: None) -> None:
    from observatoire.platform.results.selection import Query, select

    rows = select(Query(study=STUDY, territory="94018", question="Q2", indicator="group")).rows
    region = rows[0]
    rest = next(c for c in region["comparisons"] if c["reference"] == "rest")
    html = _html(client, "/territoires/94018/")
    line = html[html.index("Utile ou incontournable</th>") :].split("</tr>", 1)[0]
    cells = line.split("<td")[1:]
    assert ("▲" in cells[0] or "▼" in cells[0]) is rest["significant"]


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/territoires/COM-94018/", "/territoires/94018/"),
        ("/territoires/11/", "/territoires/REG-11/"),  # a study region's code, as in the results
        ("/territoires/75101/", "/territoires/75056/"),
        ("/territoires/FR/", "/resultats/"),
        ("/territoires/94/", "/territoires/?q=94"),  # Val-de-Marne or Corse: choose
    ],
)
def test_every_territory_has_one_address(client: Client, url: str, canonical: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == canonical


@pytest.mark.parametrize("code", ["DEP-94", "REG-11", "EPT-200057941", "EPCI-200054781", "75056"])
def test_every_kind_of_territory_has_a_portrait(client: Client, study: None, code: str) -> None:
    html = _html(client, f"/territoires/{code}/")
    assert "Ce que disent les habitants" in html and "Île-de-France" in html


def test_groups_list_what_they_hold(client: Client, study: None) -> None:
    html = _html(client, "/territoires/EPT-200057941/")
    assert 'href="/territoires/94018/"' in html  # down: its communes
    assert "13 communes" in html.replace("\u202f", " ")
    department = _html(client, "/territoires/DEP-94/")
    assert 'href="/territoires/EPT-200057941/"' in department


def test_outside_metropolitan_france_no_results_are_read_as_its_own(
    client: Client, study: None
) -> None:
    html = _html(client, "/territoires/97411/")
    assert "France métropolitaine" in html and "Ce que disent les habitants" not in html


@pytest.mark.parametrize("code", ["99999", "ZZ", "a" * 3000, "94018%00"])
def test_unknown_territories_are_not_found(client: Client, code: str) -> None:
    assert client.get(f"/territoires/{code}/").status_code == 404


def test_the_printable_version_opens_every_table(client: Client, study: None) -> None:
    html = _html(client, "/territoires/94018/imprimer/")
    assert "data-print" in html and "<details open>" in html
    assert "http://testserver/territoires/94018/" in html
    assert (
        client.get("/territoires/COM-94018/imprimer/")["Location"] == "/territoires/94018/imprimer/"
    )


@pytest.mark.parametrize("kind", ["fragilites", "sante", "jouer-collectif", "vagues"])
def test_each_chart_downloads_as_svg_png_and_csv(client: Client, study: None, kind: str) -> None:
    url = f"/resultats/{STUDY}/graphiques/{kind}"
    charenton = {"territoire": "REG-11", "taille": "20000-50000"}  # as every commune of them
    svg = client.get(f"{url}.svg", charenton)
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") and "Répondants synthétiques".encode() in svg.content
    png = client.get(f"{url}.png", {**charenton, "largeur": "etroite"})
    assert png.content[:4] == b"\x89PNG"
    table = client.get(f"{url}.csv", charenton)
    assert (
        "attachment" in table["Content-Disposition"]
        and "synthetiques" in table["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(table.content.decode())))
    assert rows and {r["synthetic"] for r in rows} == {"true"}
    assert {r["territory"] for r in rows} <= {"11", "FR"}
    for wrong in ({"territoire": "99999"}, {"territoire": "COM-94018"}, {"territoire": "REG-94"},
                  {"territoire": "REG-11", "taille": "immense"}):  # fmt: skip
        assert client.get(f"{url}.svg", wrong).status_code == 404, wrong


def test_a_map_per_figure_and_unknown_charts_are_not_found(client: Client, study: None) -> None:
    svg = client.get(f"/resultats/{STUDY}/graphiques/carte.svg",
                     {"figure": "Q2:group:utile-ou-indispensable"})  # fmt: skip
    assert svg.status_code == 200 and b"<svg" in svg.content
    for url in ("carte.svg?figure=Q9:share:x", "nope.svg", "sante.gif?territoire=FR"):
        assert client.get(f"/resultats/{STUDY}/graphiques/{url}").status_code == 404, url


def test_the_territories_api_suggests_as_one_types(client: Client) -> None:
    found = client.get("/api/territories", {"q": "charenton"}).json()
    assert found[0]["name"] == "Charenton-le-Pont" and found[0]["url"].endswith(
        "/territoires/94018/"
    )
    assert client.get("/api/territories", {"q": ""}).status_code == 422
    assert client.get("/api/territories", {"q": "x" * 101}).status_code == 422


def test_a_study_of_several_populations_breaks_nothing(
    client: Client, study: None, tmp_path: Path
) -> None:
    from results_samples import write_populations_run

    from observatoire.platform.results.publishing import publish

    publish(write_populations_run(tmp_path / "acteurs"))  # "etude-acteurs" sorts first
    assert "Étude portrait 2022" in _html(client, "/resultats/")  # opens on the regional study
    assert f'href="/resultats/{STUDY}/regions/11/"' in _html(client, "/")
    html = _html(client, "/territoires/94018/")
    assert html.count("Ce que disent les habitants") == 1  # the citizens' study only
    rows = client.get(
        "/api/results", {"study": "etude-acteurs", "question": "Q2", "indicator": "group"}
    ).json()["results"]
    companies = [r for r in rows if r["population"] == "entreprises"]
    assert companies and {c["reference"] for c in companies[0]["comparisons"]} >= {"population"}
    assert (
        next(c for c in companies[0]["comparisons"] if c["reference"] == "population")["versus"]
        == "citoyens"
    )
    narrowed = client.get("/api/results", {"population": "entreprises", "question": "Q2"}).json()
    assert {r["population"] for r in narrowed["results"]} == {"entreprises"}
