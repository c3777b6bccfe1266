"""Results pages read the published aggregates: France against the previous wave, each region
against the rest of France, with markers only where the difference is significant."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.test import Client

from observatoire.platform.results.publishing import publish
from observatoire.results_contract import SCHEMA, ResultsInvalid

STUDY = "etude-test"
UTILITY = [  # the "jouer collectif" answers in code order, with their questionnaire position
    ("indispensable", "Incontournable", 10),
    ("inutile", "Pas du tout utile", 13),
    ("peu-utile", "Peu utile", 12),
    ("utile", "Utile", 11),
]


def _row(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "study": STUDY, "wave": "2022", "question": "Q1", "indicator": "share",
        "category": None, "territory": "FR", "profile": None, "profile_level": None,
        "population": "citoyens", "versus": None,
        "position": 1, "estimate": 0.5, "se": 0.01, "ci_low": 0.48, "ci_high": 0.52, "n": 2400,
        "weighted_n": 51_900_000.0, "flag": None, "question_label": "Santé du territoire",
        "category_label": None,
    }  # fmt: skip
    base.update(values)
    return base


def _rows() -> list[dict[str, Any]]:
    rows = []
    for territory, weighted_n, share in (("FR", 51.9e6, 0.50), ("52", 3.1e6, 0.68)):
        rows.append(_row(territory=territory, category="dynamique", category_label="Dynamique",
                         estimate=share, weighted_n=weighted_n, n=200))  # fmt: skip
        rows.append(_row(territory=territory, category="sinistre", category_label="Sinistré",
                         estimate=0.06, weighted_n=weighted_n, n=200, position=3))  # fmt: skip
        # Stored in code order, as the pipeline used to write them; the questionnaire's order
        # is `position`.
        for category, label, position in UTILITY:
            rows.append(_row(territory=territory, question="Q2", category=category,
                             category_label=label, position=position, weighted_n=weighted_n,
                             question_label="Le « jouer collectif »"))  # fmt: skip
        for rank, (item, label, mean) in enumerate(
            (("emploi", "Emploi", 5.6), ("sante", "Santé", 5.3)), start=1
        ):
            question = dict(question=f"Q3.{item}", territory=territory, weighted_n=weighted_n,
                            question_label=f"Fragilités du territoire : {label}",
                            position=20 - rank)  # fmt: skip
            rows.append(_row(**question, indicator="mean", estimate=mean, ci_low=mean - 0.3,
                             ci_high=mean + 0.3))  # fmt: skip
            rows.append(_row(**question, indicator="rank", estimate=float(rank), se=None,
                             ci_low=None, ci_high=None))  # fmt: skip
    rows.append(_row(territory="52", indicator="share_vs_rest", category="dynamique",
                     category_label="Dynamique", estimate=0.19, flag="significant"))  # fmt: skip
    rows.append(_row(territory="52", indicator="share_vs_rest", category="sinistre",
                     category_label="Sinistré", estimate=-0.01, flag=None))  # fmt: skip
    rows.append(_row(wave="2019", territory="FR", category="dynamique",
                     category_label="Dynamique", estimate=0.45))  # fmt: skip
    rows.append(_row(territory="FR", indicator="share_change", category="dynamique",
                     category_label="Dynamique", estimate=0.05, flag="significant"))  # fmt: skip
    return rows


@pytest.fixture
def run_folder(tmp_path: Path) -> Path:
    """The OUT folder of a run: rows, metadata, a fact sheet; and a file beside it."""
    folder = tmp_path / STUDY
    (folder / "regions").mkdir(parents=True)
    pl.DataFrame(_rows(), schema=SCHEMA).write_parquet(folder / "results.parquet")
    meta = {
        "study": STUDY, "title": "Étude test", "universe": "Adultes", "synthetic": True,
        "notice": "Répondants synthétiques.",
        "waves": [{"id": "2019", "year": 2019}, {"id": "2022", "year": 2022}],
    }  # fmt: skip
    (folder / "results.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "regions" / "52.pdf").write_bytes(b"%PDF-1.7 test")
    (tmp_path / "secret.txt").write_text("not published", encoding="utf-8")
    return folder


@pytest.fixture
def published(run_folder: Path, db: None) -> Path:
    """The run published into the platform; its folder then removed, as the pages need none."""
    publish(run_folder)
    shutil.rmtree(run_folder)
    return run_folder


@pytest.mark.django_db
def test_overview_reads_france_against_the_previous_wave(client: Client, published: Path) -> None:
    html = client.get("/resultats/").content.decode()
    assert "Étude test 2022" in html
    assert "Répondants synthétiques." in html
    assert "50\u00a0%" in html and "45\u00a0%" in html  # latest and previous wave
    assert "▲ +5\u00a0pts" in html  # significant change shown
    assert 'href="/resultats/etude-test/regions/52/"' in html  # the region is one click away


@pytest.mark.django_db
def test_region_page_marks_only_significant_differences(client: Client, published: Path) -> None:
    response = client.get(f"/resultats/{STUDY}/regions/52/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pays de la Loire</h1>" in html
    assert "6\u00a0% des habitants" in html  # 3.1 M of 51.9 M
    assert "▲ +19\u00a0pts" in html
    assert "−1\u00a0pt" not in html  # not significant: no marker
    assert f"/resultats/{STUDY}/documents/regions/52.pdf" in html
    assert "/alliances/?region=52" in html
    # fragilities by rank: Emploi (1er) before Santé (2e)
    assert html.index("Emploi") < html.index("Santé</th>")
    assert "1er" in html and "2e" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/resultats/", f"/resultats/{STUDY}/regions/52/"])
def test_questions_and_answers_come_in_questionnaire_order(
    client: Client, published: Path, url: str
) -> None:
    html = client.get(url).content.decode()
    shown = [
        html.index(f">{label}</th>")
        for label in (
            "Dynamique",
            "Sinistré",
            "Incontournable",
            "Utile",
            "Peu utile",
            "Pas du tout utile",
        )
    ]
    assert shown == sorted(shown)
    assert html.index(">Le « jouer collectif »</h2>") < html.index(">Fragilités du territoire<")


@pytest.mark.django_db
def test_a_run_that_breaks_the_contract_is_refused_and_changes_nothing(
    client: Client, run_folder: Path
) -> None:
    before = client.get("/resultats/").status_code
    pl.read_parquet(run_folder / "results.parquet").drop("position").write_parquet(
        run_folder / "results.parquet"
    )
    with pytest.raises(ResultsInvalid, match=r"missing column 'position' \(Int64\)"):
        publish(run_folder)
    assert before == client.get("/resultats/").status_code == 404
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_documents_are_served_and_nothing_outside(client: Client, published: Path) -> None:
    response = client.get(f"/resultats/{STUDY}/documents/regions/52.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.get(f"/resultats/{STUDY}/documents/../secret.txt").status_code == 404
    assert client.get(f"/resultats/{STUDY}/documents/%2e%2e/secret.txt").status_code == 404


@pytest.mark.django_db
def test_unknown_study_or_region_is_404(client: Client, published: Path) -> None:
    assert client.get("/resultats/nope/").status_code == 404
    assert client.get(f"/resultats/{STUDY}/regions/99/").status_code == 404


@pytest.mark.django_db
def test_no_published_study_yet_is_404(client: Client) -> None:
    assert client.get("/resultats/").status_code == 404
    assert client.get("/").status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_mayor_reaches_the_region_in_two_clicks(page, published: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Pays de la Loire").click()
    assert page.locator("h1").inner_text() == "Pays de la Loire"
    assert page.get_by_text("Écart avec le reste de la France").first.is_visible()
