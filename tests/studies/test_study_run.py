"""`observatoire study run` on the demo study: published figures, outputs, atomicity.

One full run (about a minute on a shared 2-core machine) feeds every test of this module.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from pypdf import PdfReader

from observatoire.results_contract import SCHEMA, read_published
from observatoire.studies import run as run_module
from observatoire.studies.run import RunReport, run_study
from observatoire.studies.spec.model import load_study

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("study-run")]

# DOMAIN.md, IMPACT-Citoyens: fragility means /10 (2022 and 2019) and 2022 shares.
MEANS = {
    "2022": {"sante": 5.7, "pouvoir-achat": 5.7, "securite": 5.6, "vieillissement": 5.5,
             "emploi": 5.5, "mobilite": 5.3, "education": 5.3, "developpement-economique": 5.3,
             "transition-numerique": 5.0, "culture-loisirs": 4.9},
    "2019": {"sante": 5.8, "pouvoir-achat": 6.3, "securite": 6.0, "emploi": 6.4, "mobilite": 5.9,
             "education": 5.6, "developpement-economique": 5.9, "transition-numerique": 5.1,
             "culture-loisirs": 5.0, "transition-energetique": 5.9, "environnement": 5.9},
}  # fmt: skip
SHARES = [  # question, indicator, category, published share
    ("Q1", "share", "dynamique", 0.50), ("Q1", "share", "sinistre", 0.06),
    ("Q1", "share", "en-difficulte", 0.44),
    ("Q2", "group", "utile-ou-indispensable", 0.74), ("Q2", "share", "indispensable", 0.25),
    ("Q4A", "group", "utile-ou-indispensable", 0.79),
    ("Q4B", "group", "utile-ou-indispensable", 0.75),
    ("Q5", "group", "pertinent", 0.69), ("Q6", "share", "emergence", 0.69),
    ("Q8", "share", "vision-partagee", 0.38), ("Q8", "share", "action-collective", 0.37),
    ("Q9", "share", "citoyen", 0.32), ("Q9", "share", "syndicaliste", 0.13),
    ("Q10", "share", "energie", 0.84), ("Q10", "share", "eau", 0.82),
    ("Q10", "share", "achats-responsables", 0.59),
    ("Q11", "share", "culture-commune", 0.68), ("Q11", "share", "cadre-administratif", 0.64),
    ("Q11", "share", "espace-naturel", 0.52), ("Q11", "share", "lieu-action", 0.48),
    *((f"Q7.{item}", "group", "fort-ou-tres-fort", strong) for item, strong, _ in (
        ("mobilisation", 0.61, 0.90), ("engagement", 0.58, 0.89),
        ("innovation-territoriale", 0.58, 0.89), ("performance-entreprises", 0.57, 0.89),
        ("performance-collectivites", 0.57, 0.88), ("innovation-grande-echelle", 0.53, 0.84),
        ("performance-associations", 0.51, 0.86))),
    *((f"Q7.{item}", "group", "au-moins-modere", total) for item, total in (
        ("mobilisation", 0.90), ("engagement", 0.89), ("innovation-territoriale", 0.89),
        ("performance-entreprises", 0.89), ("performance-collectivites", 0.88),
        ("innovation-grande-echelle", 0.84), ("performance-associations", 0.86))),
]  # fmt: skip
PDL, NAQ, IDF, PACA = "52", "75", "11", "93"
DEMO = Path(__file__).resolve().parents[2] / "studies" / "impact-citoyens"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    out = tmp_path_factory.mktemp("run") / "OUT"
    steps: list[str] = []
    report = run_study(DEMO, out, steps.append)
    assert steps[0] == "Validating the study" and steps[-1] == "Publishing"
    return report


@pytest.fixture(scope="module")
def results(published: RunReport) -> pl.DataFrame:
    return pl.read_parquet(published.out / "results.parquet")


def _national(results: pl.DataFrame, wave: str) -> pl.DataFrame:
    return results.filter(
        (pl.col("wave") == wave) & (pl.col("territory") == "FR") & pl.col("profile").is_null()
    )


def _value(frame: pl.DataFrame, question: str, indicator: str, category: str | None) -> float:
    rows = frame.filter(
        (pl.col("question") == question)
        & (pl.col("indicator") == indicator)
        & (pl.col("category").is_null() if category is None else pl.col("category") == category)
    )
    assert rows.height == 1, (question, indicator, category)
    return float(rows["estimate"][0])


@pytest.mark.parametrize("wave", ["2022", "2019"])
def test_fragility_means_are_within_0_15_of_the_published_ones(
    results: pl.DataFrame, wave: str
) -> None:
    national = _national(results, wave)
    for item, published in MEANS[wave].items():
        assert abs(_value(national, f"Q3.{item}", "mean", None) - published) <= 0.15, item


def test_published_shares_are_within_3_points(results: pl.DataFrame) -> None:
    national = _national(results, "2022")
    for question, indicator, category, published in SHARES:
        value = _value(national, question, indicator, category)
        assert abs(value - published) <= 0.03, (question, category, value)


def test_the_regional_contrasts_of_the_seed_hold(results: pl.DataFrame) -> None:
    latest = results.filter((pl.col("wave") == "2022") & pl.col("profile").is_null())
    regions = latest.filter(pl.col("territory") != "FR")

    def by_region(question: str, indicator: str, category: str) -> dict[str, float]:
        rows = regions.filter(
            (pl.col("question") == question)
            & (pl.col("indicator") == indicator)
            & (pl.col("category") == category)
        )
        return dict(rows.select("territory", "estimate").iter_rows())

    dynamic = by_region("Q1", "share", "dynamique")
    collective = by_region("Q2", "group", "utile-ou-indispensable")
    assert max(dynamic, key=dynamic.__getitem__) == PDL
    assert sorted(dynamic, key=dynamic.__getitem__)[-3:] == sorted(
        [PDL, IDF, PACA], key=dynamic.__getitem__
    )
    assert max(collective, key=collective.__getitem__) == PDL
    assert min(collective, key=collective.__getitem__) == NAQ
    top3 = regions.filter((pl.col("indicator") == "rank") & (pl.col("estimate") <= 3))
    with_environment = top3.filter(pl.col("question") == "Q3.environnement")["territory"]
    assert with_environment.to_list() == [IDF]
    weights = regions.filter(
        (pl.col("question") == "Q1")
        & (pl.col("indicator") == "share")
        & (pl.col("category") == "dynamique")
    )
    share = dict(weights.select("territory", "weighted_n").iter_rows())
    total = sum(share.values())
    assert round(share["84"] / total, 2) == 0.12 and round(share[PDL] / total, 2) == 0.06


def test_each_profile_level_is_read_against_the_other_respondents(results: pl.DataFrame) -> None:
    """DOMAIN.md: communes under 2,000 inhabitants see their territory as "sinistré" more often
    (about 10 % against 6 %). Every level of every banner profile has its contrast rows: the
    level's figure minus the other respondents' (the other levels weighted by their bases),
    for a weighting margin (commune size) as for a profile that is not one (household)."""
    latest = results.filter((pl.col("wave") == "2022") & (pl.col("territory") == "FR"))
    contrasts = latest.filter(pl.col("indicator").str.ends_with("_vs_rest"))
    assert set(contrasts["profile"].unique().to_list()) == set(load_study(DEMO).banner)
    for profile, level in (("commune_size", "moins-2000"), ("household", "parent-seul")):
        figures = latest.filter(
            (pl.col("profile") == profile) & (pl.col("question") == "Q1")
            & (pl.col("indicator") == "share") & (pl.col("category") == "sinistre")
        )  # fmt: skip
        levels = {r["profile_level"]: r for r in figures.iter_rows(named=True)}
        others = [r for code, r in levels.items() if code != level]
        rest = sum(r["estimate"] * r["weighted_n"] for r in others) / sum(
            r["weighted_n"] for r in others
        )
        row = contrasts.filter(
            (pl.col("profile") == profile) & (pl.col("profile_level") == level)
            & (pl.col("question") == "Q1") & (pl.col("category") == "sinistre")
        ).row(0, named=True)  # fmt: skip
        assert row["estimate"] == pytest.approx(levels[level]["estimate"] - rest, abs=1e-9)
        assert 0 < row["se"] < 0.05 and row["n"] == levels[level]["n"]
        if profile == "commune_size":
            assert row["estimate"] > 0.02 and row["flag"] == "significant"


def test_results_have_exactly_the_published_columns_with_bases_and_intervals(
    published: RunReport, results: pl.DataFrame
) -> None:
    assert results.columns == list(SCHEMA)
    figures = results.filter(pl.col("indicator").is_in(["mean", "share", "band", "group"]))
    assert figures["se"].null_count() == 0 and figures["n"].min() >= 30  # type: ignore[operator]
    assert (figures["ci_low"] <= figures["estimate"]).all()
    assert (figures["estimate"] <= figures["ci_high"]).all()
    assert set(results["territory"].unique()) == {"FR", "11", "24", "27", "28", "32", "44",
                                                  "52", "53", "75", "76", "84", "93"}  # fmt: skip
    assert {"mean_change", "share_change", "rank", "rank_change", "mean_vs_rest"} <= set(
        results["indicator"].unique()
    )
    sante = results.filter(
        (pl.col("question") == "Q3.sante") & (pl.col("indicator") == "rank_change")
        & (pl.col("territory") == "FR") & pl.col("profile").is_null()
    )  # fmt: skip
    assert sante["estimate"].to_list() == [7.0]  # 8th in 2019, 1st in 2022
    metadata = pl.read_parquet_metadata(published.out / "results.parquet")
    assert metadata["synthetic"] == "true" and "synthétiques" in metadata["notice"]
    document = json.loads((published.out / "results.json").read_text("utf-8"))
    assert document["synthetic"] is True and "synthétiques" in document["notice"]
    assert list(document["columns"]) == list(SCHEMA)
    assert len(document["rows"]) == results.height
    assert set(document["rows"][0]) == set(SCHEMA)


def test_published_rows_keep_the_contract_and_the_questionnaire_order(
    published: RunReport,
) -> None:
    study = load_study(DEMO)
    results = read_published(published.out).results  # checked against the contract
    rows = results.rows(["share", "group"])
    answers = [r["category_label"] for r in rows if r["question"] == "Q2"]
    assert answers == [
        "Incontournable", "Utile", "Peu utile", "Pas du tout utile", "Utile ou incontournable"
    ]  # fmt: skip
    asked = list(dict.fromkeys(r["question"].split(".")[0] for r in results.rows()))
    assert asked == [q.code for q in study.published_questions("2022")]
    items = [r["question"] for r in results.rows(["mean"]) if r["question"].startswith("Q3.")]
    assert items == [f"Q3.{t.code}" for t in study.question("Q3").items if f"Q3.{t.code}" in items]
    assert len(items) > 10


def test_the_summary_has_exactly_two_a4_pages_and_says_the_data_are_synthetic(
    published: RunReport,
) -> None:
    pdf = PdfReader(published.out / "summary.pdf")
    assert len(pdf.pages) == 2
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "IMPACT-Citoyens 2022" in text and "synthétiques" in text


def test_twelve_regional_fact_sheets_say_they_are_synthetic(published: RunReport) -> None:
    sheets = sorted((published.out / "regions").iterdir())
    assert [p.name for p in sheets if p.suffix == ".pdf"] == [
        f"{code}.pdf" for code in ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76",
                                   "84", "93")
    ]  # fmt: skip
    assert len([p for p in sheets if p.suffix == ".html"]) == 12
    html = (published.out / "regions" / "52.html").read_text("utf-8")
    assert "Pays de la Loire" in html and "Répondants synthétiques" in html
    assert "Top 3 des fragilités du territoire" in html


def _overflowing_cells(html: Path) -> list[tuple[str, float]]:
    """(text, mm) of every piece of text that runs past its table cell once laid out for print."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    def texts(box: Any) -> Iterator[Any]:
        if isinstance(box, boxes.TextBox):
            yield box
        for child in getattr(box, "children", []):
            yield from texts(child)

    def cells(box: Any) -> Iterator[Any]:
        if isinstance(box, boxes.TableCellBox):
            yield box
        for child in getattr(box, "children", []):
            yield from cells(child)

    document = HTML(filename=html, base_url=str(html.parent.parent)).render()
    found = []
    for page in document.pages:
        for cell in cells(page._page_box):
            right = cell.position_x + cell.border_width() - cell.padding_right
            found += [
                (text.text, round((text.position_x + text.width - right) * 25.4 / 96, 1))
                for text in texts(cell)
                if text.position_x + text.width > right + 0.5
            ]
    return found


def test_each_fact_sheet_is_one_a4_sheet_recto_verso_and_no_figure_overflows(
    published: RunReport,
) -> None:
    for html in sorted((published.out / "regions").glob("*.html")):
        pdf = PdfReader(html.with_suffix(".pdf"))
        assert len(pdf.pages) == 2, html.name
        assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in pdf.pages} == {
            (595, 842)
        }
        assert _overflowing_cells(html) == [], html.name


def test_charts_reports_and_tables_are_written(published: RunReport) -> None:
    charts = published.out / "charts"
    for name in ("q3-bands", "q1-shares", "q1-map", "q7-degrees"):
        spec = json.loads((charts / f"{name}.vl.json").read_text("utf-8"))
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert (charts / f"{name}.svg").read_text("utf-8").startswith("<svg")
        assert (charts / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    report = (published.out / "report.html").read_text("utf-8")
    assert "Méthodologie" in report and "Répondants synthétiques" in report
    assert "Marges d'erreur selon la base" in report and "5,7" in report
    assert len(PdfReader(published.out / "report.pdf").pages) > 20
    with zipfile.ZipFile(published.out / "tables.xlsx") as workbook:
        sheets = workbook.read("xl/workbook.xml").decode()
    for name in ("Méthode", "Q1", "Q3", "Q11"):
        assert f'name="{name}"' in sheets
    with zipfile.ZipFile(published.out / "banner.xlsx") as workbook:
        sheets = workbook.read("xl/workbook.xml").decode()
    for name in ("q1", "q3_sante", "q7_mobilisation", "q11_lieu-action", "Données", "Notes"):
        assert f'name="{name}"' in sheets


def test_a_failed_run_never_damages_the_previous_output(
    published: RunReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(p.relative_to(published.out) for p in published.out.rglob("*"))
    stamp = (published.out / "results.parquet").read_bytes()

    def broken(results: object, work: Path, progress: object) -> list[Path]:
        (work / "results.parquet").write_text("half-written")
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        run_module, "compute_study", lambda study, waves, progress: published.results
    )
    monkeypatch.setattr(run_module, "_write_outputs", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run_study(DEMO, published.out)
    assert sorted(p.relative_to(published.out) for p in published.out.rglob("*")) == before
    assert (published.out / "results.parquet").read_bytes() == stamp
    assert [p.name for p in published.out.parent.iterdir()] == ["OUT"]
