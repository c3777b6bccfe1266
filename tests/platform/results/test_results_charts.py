"""Charts beside the tables of the results pages, a map per indicator and two regions side by
side: every figure with its interval, the same figures in a table, marks only where significant."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from results_samples import STUDY, write_run

from observatoire.platform.results.publishing import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(tmp_path: Path) -> None:
    publish(write_run(tmp_path / STUDY))


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_section_has_its_chart_beside_its_table(client: Client, study: None) -> None:
    national = _html(client, f"/resultats/{STUDY}/")
    regional = _html(client, f"/resultats/{STUDY}/regions/52/")
    for question in ("Q1", "Q2", "Q3"):
        assert f"graphiques/question.png?territoire=FR&amp;question={question}" in national
        assert f"graphiques/question.png?territoire=REG-52&amp;question={question}" in regional
    assert 'href="/territoires/REG-52/"' in regional
    assert f'href="/resultats/{STUDY}/cartes/"' in national
    assert f'href="/resultats/{STUDY}/comparer/?a=52"' in regional


@pytest.mark.parametrize("where", ["FR", "REG-52"])
def test_a_section_chart_renders_and_its_csv_holds_its_figures(
    client: Client, study: None, where: str
) -> None:
    url = f"/resultats/{STUDY}/graphiques/question"
    png = client.get(f"{url}.png", {"territoire": where, "question": "Q2"})
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    rows = list(csv.DictReader(io.StringIO(client.get(
        f"{url}.csv", {"territoire": where, "question": "Q2"}).content.decode())))  # fmt: skip
    assert {r["question"] for r in rows} == {"Q2"}
    assert {r["indicator"] for r in rows} == {"share", "group"}
    if where == "FR":
        assert {r["wave"] for r in rows} == {"2019", "2022"}  # France against the previous wave
    else:
        assert {r["territory"] for r in rows} == {"52", "FR"}  # a region against France
    assert client.get(f"{url}.png", {"territoire": where}).status_code == 404  # no question


def test_a_map_for_each_indicator_with_its_table(client: Client, study: None) -> None:
    html = _html(client, f"/resultats/{STUDY}/cartes/")
    assert 'value="Q2:group:utile-ou-indispensable" selected' in html  # the default
    assert "graphiques/carte.png?figure=Q2%3Agroup%3Autile-ou-indispensable" in html
    chosen = _html(client, f"/resultats/{STUDY}/cartes/?figure=Q3.sante:mean")
    assert 'value="Q3.sante:mean" selected' in chosen
    table = chosen[chosen.index("<tbody>") : chosen.index("</tbody>")]
    assert table.count("<tr>") == 13 and table.rindex("France") > table.index("Bretagne") > 0
    unknown = _html(client, f"/resultats/{STUDY}/cartes/?figure=Q99:share:x")
    assert "n'est pas publié" in unknown
    svg = client.get(f"/resultats/{STUDY}/graphiques/carte.svg",
                     {"figure": "Q3.sante:mean"})  # fmt: skip
    assert svg.status_code == 200 and b"<svg" in svg.content


def test_two_regions_side_by_side(client: Client, study: None) -> None:
    html = _html(client, f"/resultats/{STUDY}/comparer/?a=11&b=52")
    assert "<h1>Île-de-France · Pays de la Loire</h1>" in html
    assert "ne sont pas testées l'une contre l'autre" in html
    assert "graphiques/comparaison.png?a=REG-11&amp;b=REG-52&amp;question=Q1" in html
    png = client.get(f"/resultats/{STUDY}/graphiques/comparaison.png",
                     {"a": "REG-11", "b": "REG-52", "question": "Q1"})  # fmt: skip
    assert png.status_code == 200
    same = _html(client, f"/resultats/{STUDY}/comparer/?a=11&b=11")
    assert "Choisissez deux régions différentes." in same
    assert "Choisissez" not in _html(client, f"/resultats/{STUDY}/comparer/")
