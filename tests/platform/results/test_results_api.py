"""The results API: published studies, tidy rows by territory (a commune resolves to its study
region, the communes of its size class and France), comparisons as published, paging, 422s that
name the unknown value, CSV and Parquet downloads of the same selection."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.test import Client
from results_samples import NOTICE, STUDY, write_populations_run, write_run

from observatoire.platform.results.publishing import publish

pytestmark = pytest.mark.django_db
OTHER = "autre-etude"


@pytest.fixture
def studies(tmp_path: Path) -> None:
    publish(write_run(tmp_path / STUDY))
    publish(write_run(tmp_path / OTHER, study=OTHER, title="Autre étude", synthetic=False))


def _get(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/api/results", params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def test_studies_lists_what_is_published_with_what_it_holds(client: Client, studies: None) -> None:
    data = client.get("/api/studies").json()
    assert [s["code"] for s in data] == [OTHER, STUDY]
    study = data[1]
    assert study["synthetic"] is True and "synthétiques" in study["notice"]
    assert [w["id"] for w in study["waves"]] == ["2019", "2022"] and study["latest_wave"] == "2022"
    assert study["territories"][:2] == ["FR", "11"]
    sizes = sorted(["moins-2000", "2000-20000", "20000-50000", "plus-50000"])
    assert {"code": "commune_size", "levels": sizes} in study["profiles"]
    assert study["questions"][:2] == [
        {"code": "Q1", "label": "Santé du territoire"},
        {"code": "Q2", "label": "Le « jouer collectif »"},
    ]
    assert {d["path"] for d in study["documents"]} >= {"regions/11.pdf", "summary.pdf"}
    assert data[0]["synthetic"] is False and data[0]["notice"] == ""


def test_a_commune_resolves_to_its_region_its_size_class_and_france(
    client: Client, studies: None
) -> None:
    data = _get(client, study=STUDY, territory="94018", question="Q2", indicator="group")
    assert data["territory"] == {
        "ref": "COM-94018", "code": "94018", "name": "Charenton-le-Pont", "kind": "commune",
        "study_region": "11", "study_region_name": "Île-de-France", "size_class": "20000-50000",
        "in_universe": True,
    }  # fmt: skip
    rows = data["results"]
    assert [(r["reading"], r["territory"], r["profile_level"]) for r in rows] == [
        ("study_region", "11", None), ("size_class", "FR", "20000-50000"), ("france", "FR", None)
    ]  # fmt: skip
    region = rows[0]
    assert region["territory_name"] == "Île-de-France" and region["wave"] == "2022"
    assert region["ci_low"] < region["estimate"] < region["ci_high"]
    assert region["n"] == 200 and region["weighted_n"] == 4.3e6 and region["synthetic"] is True
    kinds = {c["reference"] for c in region["comparisons"]}
    assert kinds == {"previous_wave", "rest"}
    previous = next(c for c in region["comparisons"] if c["reference"] == "previous_wave")
    assert previous["versus"] == "2019" and isinstance(previous["significant"], bool)
    assert previous["ci_low"] < previous["difference"] < previous["ci_high"]
    assert {c["reference"] for c in rows[1]["comparisons"]} == {"previous_wave", "rest"}
    assert {c["reference"] for c in rows[2]["comparisons"]} == {"previous_wave"}
    assert data["synthetic"] is True and data["notices"] == {STUDY: NOTICE}


@pytest.mark.parametrize(
    ("territory", "expected"),
    [
        ("FR", {"FR"}),
        ("11", {"11", "FR"}),
        ("REG-94", {"93", "FR"}),  # Corse reads as PACA + Corse
        ("DEP-94", {"11", "FR"}),
        ("200057941", {"11", "FR"}),  # EPT Paris Est Marne & Bois
        ("97411", {"FR"}),  # outside the studies' universe: France, said as such
    ],
)
def test_every_kind_of_territory_reads_through_the_domains_that_contain_it(
    client: Client, studies: None, territory: str, expected: set[str]
) -> None:
    data = _get(client, study=STUDY, territory=territory, question="Q1", page_size=1000)
    assert {r["territory"] for r in data["results"]} == expected
    assert data["territory"]["in_universe"] is (territory != "97411")


def test_filters_combine_and_default_to_the_latest_wave_and_estimated_figures(
    client: Client, studies: None
) -> None:
    data = _get(client, study=STUDY, question="Q3", territory="FR", page_size=1000)
    assert {r["question"] for r in data["results"]} == {"Q3.sante", "Q3.emploi", "Q3.mobilite"}
    assert {r["indicator"] for r in data["results"]} == {"mean", "band", "rank"}
    assert {r["wave"] for r in data["results"]} == {"2022"}
    both = _get(client, study=STUDY, question="Q3.sante", indicator="mean", territory="FR",
                wave="all")  # fmt: skip
    assert [r["wave"] for r in both["results"]] == ["2019", "2022"]
    sizes = _get(client, study=STUDY, question="Q1", profile="commune_size",
                 profile_level="moins-2000")  # fmt: skip
    assert {(r["profile_level"], r["reading"]) for r in sizes["results"]} == {
        ("moins-2000", "size_class")
    }
    derived = _get(client, study=STUDY, question="Q1", indicator="share_vs_rest", territory="52")
    assert {r["indicator"] for r in derived["results"]} == {"share_vs_rest"}
    everything = _get(client, question="Q2", territory="FR", indicator="group")
    assert {r["study"] for r in everything["results"]} == {STUDY, OTHER}


def test_a_study_of_several_populations_gives_each_rows_population_and_versus(
    client: Client, tmp_path: Path
) -> None:
    publish(write_populations_run(tmp_path / "acteurs"))
    figures = _get(client, study="etude-acteurs", question="Q2", indicator="group")["results"]
    assert {r["population"] for r in figures} == {"citoyens", "entreprises"}
    assert {r["versus"] for r in figures} == {None}
    companies = next(r for r in figures if r["population"] == "entreprises")
    assert [(c["reference"], c["versus"]) for c in companies["comparisons"]] == [
        ("population", "citoyens")
    ]
    gaps = _get(client, study="etude-acteurs", indicator="group_vs_population", versus="citoyens")
    assert gaps["count"] > 0
    assert {(r["population"], r["versus"]) for r in gaps["results"]} == {
        ("entreprises", "citoyens")
    }
    assert _get(client, study="etude-acteurs", indicator="group_vs_population",
                versus="entreprises")["count"] == 0  # fmt: skip
    table = pl.read_parquet(io.BytesIO(client.get("/api/results.parquet", {
        "study": "etude-acteurs", "indicator": "group_vs_population"}).content))  # fmt: skip
    assert set(table["versus"].to_list()) == {"citoyens"}


def test_pages_are_bounded_and_cover_the_selection_once(client: Client, studies: None) -> None:
    first = _get(client, study=STUDY, page_size=7)
    count = first["count"]
    assert first["pages"] == -(-count // 7) and len(first["results"]) == 7
    seen = []
    for page in range(1, first["pages"] + 1):
        seen += [
            (r["question"], r["indicator"], r["category"], r["territory"], r["profile_level"])
            for r in _get(client, study=STUDY, page_size=7, page=page)["results"]
        ]
    assert len(seen) == len(set(seen)) == count
    assert _get(client, study=STUDY, page=first["pages"] + 1, page_size=7)["results"] == []
    for bad in ({"page": 0}, {"page_size": 1001}, {"page": "99999999999999999999"}):
        assert client.get("/api/results", bad).status_code == 422, bad


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"study": "nope"}, "unknown study 'nope' (published: autre-etude, etude-portrait)"),
        ({"study": STUDY, "wave": "2030"}, "unknown wave '2030'"),
        ({"territory": "99999"}, "99999"),
        ({"territory": "94"}, "REG-94"),  # Val-de-Marne or Corse: say which
        ({"question": "Q99"}, "unknown question 'Q99'"),
        ({"profile": "zodiac"}, "unknown profile 'zodiac'"),
        ({"profile": "commune_size", "profile_level": "huge"}, "unknown profile level 'huge'"),
        ({"population": "martiens"}, "unknown population 'martiens'"),
        ({"versus": "martiens"}, "unknown population 'martiens'"),
        ({"indicator": "median"}, "unknown indicator 'median'"),
        ({"territory": "a" * 101}, "at most 100 characters"),
        ({"question": "Q2\x00"}, "NUL"),
    ],
)
def test_unknown_values_answer_422_naming_them(
    client: Client, studies: None, params: dict[str, str], named: str
) -> None:
    for route in ("/api/results", "/api/results.csv", "/api/results.parquet"):
        response = client.get(route, params)
        assert response.status_code == 422, (route, response.content)
        assert named in str(response.json()["detail"]), response.json()


def test_csv_and_parquet_hold_the_same_selection_spreadsheet_safe(
    client: Client, studies: None
) -> None:
    params = {"study": STUDY, "territory": "94018", "question": "Q2"}
    rows = _get(client, **params, page_size=1000)["results"]
    response = client.get("/api/results.csv", params)
    assert response["Content-Type"].startswith("text/csv")
    assert "donnees-synthetiques" in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(table) == len(rows)
    assert [(t["question"], t["category"], t["territory"]) for t in table] == [
        (r["question"], r["category"] or "", r["territory"]) for r in rows
    ]
    assert {t["synthetic"] for t in table} == {"true"}
    first = table[0]
    assert float(first["estimate"]) == pytest.approx(rows[0]["estimate"])
    assert first["change_significant"] in {"true", "false"} and first["vs_rest_difference"]
    parquet = client.get("/api/results.parquet", params)
    frame = pl.read_parquet(io.BytesIO(parquet.content))
    assert frame.height == len(rows) and frame["synthetic"].all()
    assert frame["estimate"].to_list() == pytest.approx([r["estimate"] for r in rows])
    assert pl.read_parquet_metadata(io.BytesIO(parquet.content))["synthetic"] == "true"


def test_labels_that_look_like_formulas_are_quoted_in_csv(client: Client, tmp_path: Path) -> None:
    run = write_run(tmp_path / STUDY)
    frame = pl.read_parquet(run / "results.parquet")
    frame.with_columns(
        question_label=pl.when(pl.col("question") == "Q1")
        .then(pl.lit('=HYPERLINK("http://example.org")'))
        .otherwise(pl.col("question_label"))
    ).write_parquet(run / "results.parquet")
    publish(run)
    text = client.get("/api/results.csv", {"question": "Q1", "territory": "FR"}).content.decode()
    labels = {row["question_label"] for row in csv.DictReader(io.StringIO(text))}
    assert labels == {'\'=HYPERLINK("http://example.org")'}
    assert ",-0." in text or ",0." in text  # numbers stay numbers


def test_the_api_documents_its_results_routes(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/studies", "/api/results", "/api/results.csv", "/api/results.parquet"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/results"]["get"]["parameters"]}
    assert parameters >= {"study", "wave", "territory", "question", "profile", "population",
                          "page", "page_size"}  # fmt: skip
