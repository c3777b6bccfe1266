"""IMPACT-Acteurs end to end: each population weighted by its own design, the published shares
found again, differences between populations as independent samples, every output written."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
import yaml

from observatoire import territory
from observatoire.results_contract import (
    Flag,
    Indicator,
    check_results,
    read_published,
    versus_population,
)
from observatoire.results_contract.crossreading import cross_reading
from observatoire.studies.compute import compute_study
from observatoire.studies.compute.figures import analysis_frame
from observatoire.studies.compute.populations import (
    compute_populations,
    pairs,
    weight_population,
)
from observatoire.studies.run import RunReport, run_study
from observatoire.studies.spec.problems import StudyInvalid
from observatoire.studies.spec.validate import validate_populations, validate_study
from observatoire.survey import independent_differences, mean

pytestmark = pytest.mark.xdist_group("actors-run")
USEFUL = ("Q2", Indicator.GROUP, "utile-ou-indispensable")
PUBLISHED = {"collectivites": 0.92, "entreprises": 0.83, "associations": 0.97, "fondations": 0.98}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    out = tmp_path_factory.mktemp("acteurs") / "OUT"
    return run_study(Path(__file__).parents[2] / "studies" / "impact-acteurs", out)


def test_jouer_collectif_is_found_again_and_mayors_weigh_the_communes(run: RunReport) -> None:
    results = read_published(run.out).results
    for population, share in PUBLISHED.items():
        row = results.get(*USEFUL, population=population)
        assert row is not None and abs(row["estimate"] - share) < 0.03, (population, row)
        assert row["ci_low"] < row["estimate"] < row["ci_high"] and row["se"] > 0
    citizens = results.get(*USEFUL, population="citoyens")
    assert citizens is not None and abs(citizens["estimate"] - 0.74) < 0.03
    mayors = results.get(*USEFUL, population="collectivites")
    assert mayors is not None
    assert mayors["weighted_n"] == pytest.approx(territory.commune_frame().total)
    assert float(run.results.designs["collectivites"].weights.sum()) == pytest.approx(34_746)


def test_a_difference_between_populations_is_one_of_independent_samples(run: RunReport) -> None:
    """Checked against the engine, from each population's own design computed separately."""
    results = read_published(run.out).results
    row = results.versus_population(*USEFUL, "entreprises", "citoyens")
    companies = results.get(*USEFUL, population="entreprises")
    citizens = results.get(*USEFUL, population="citoyens")
    assert row is not None and companies is not None and citizens is not None
    assert row["estimate"] == pytest.approx(companies["estimate"] - citizens["estimate"])
    assert row["se"] == pytest.approx((companies["se"] ** 2 + citizens["se"] ** 2) ** 0.5)
    assert row["flag"] == Flag.SIGNIFICANT and row["weighted_n"] is None

    folder = Path(__file__).parents[2] / "studies"
    study, waves = validate_study(folder / "impact-citoyens")
    citizens_design = compute_study(study, waves).designs["2022"]
    useful = pl.col("q2").is_in(["indispensable", "utile"]).cast(pl.Float64).alias("useful")
    on_citizens = mean(replace(citizens_design, data=citizens_design.data.with_columns(useful)),
                       "useful")  # fmt: skip
    multi, checked = validate_populations(folder / "impact-acteurs")
    firms = checked["entreprises"]
    data, _ = analysis_frame(firms.study, firms.wave.id, firms.frame)
    design, _ = weight_population(
        firms.population, data.hstack(firms.frame.select("q2")).with_columns(useful)
    )
    on_firms = mean(design, "useful")
    engine = independent_differences(
        {"citoyens": on_citizens, "entreprises": on_firms}, reference="citoyens",
        level=multi.confidence,
    ).table.row(0, named=True)  # fmt: skip
    assert (engine["first"], engine["second"]) == ("citoyens", "entreprises")
    assert row["estimate"] == pytest.approx(engine["estimate"])
    assert row["se"] == pytest.approx(engine["se"])
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((engine["ci_low"], engine["ci_high"]))


def test_every_population_is_compared_with_citizens_and_the_other_actors(run: RunReport) -> None:
    study = run.results.study
    assert pairs(study)[:4] == [
        ("collectivites", "citoyens"),
        ("entreprises", "citoyens"),
        ("associations", "citoyens"),
        ("fondations", "citoyens"),
    ]
    assert len(pairs(study)) == 4 + 4 * 3
    frame = check_results(pl.read_parquet(run.out / "results.parquet"))
    compared = frame.filter(pl.col("indicator") == versus_population(Indicator.GROUP))
    assert set(compared.select("population", "versus").unique().rows()) == set(pairs(study))
    # profiles only for the surveyed populations; the citizens' breakdowns are in their study
    profiled = frame.filter(pl.col("profile").is_not_null())["population"].unique().sort()
    assert profiled.to_list() == ["associations", "collectivites", "entreprises"]
    regions = frame.filter(pl.col("territory") != "FR")["population"].unique().to_list()
    assert regions == ["collectivites"]  # the mayors' regional breakdown


def test_the_cross_reading_marks_the_own_performance_and_small_bases(run: RunReport) -> None:
    reading = cross_reading(read_published(run.out))
    assert [p.code for p in reading.populations] == [
        "citoyens", "collectivites", "entreprises", "associations", "fondations",
    ]  # fmt: skip
    own = {
        (line.question, cell.population)
        for line in reading.lines
        for cell in line.cells
        if cell.own and line.indicator == "group" and line.category == "fort-ou-tres-fort"
    }
    assert own == {
        ("Q7.performance-entreprises", "entreprises"),
        ("Q7.performance-collectivites", "collectivites"),
        ("Q7.performance-associations", "associations"),
    }
    line = reading.of("Q2", "group")[0]
    companies = line.cell("entreprises")
    assert companies is not None and companies.published is not None
    assert companies.published["value"] == 0.83 and companies.published["status"] == "published"
    assert companies.versus_reference is not None


def test_small_bases_are_flagged_in_populations_and_their_comparisons(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "study.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    document["reporting"] = {"min_base": 350, "suppress_below": 70, "confidence": 0.95}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    multi, checked = validate_populations(folder)
    frame = compute_populations(multi, checked).results
    foundations = frame.filter(
        (pl.col("population") == "fondations") & (pl.col("indicator") == "group")
    )
    assert set(foundations["flag"]) == {"small_base"}  # 300 respondents < 350
    grande = frame.filter(
        (pl.col("population") == "entreprises") & (pl.col("profile_level") == "grande")
    )
    assert set(grande["flag"]) == {"small_base"}  # 80 respondents
    withheld = frame.filter(pl.col("flag") == "suppressed")
    assert withheld.height and withheld["estimate"].null_count() == withheld.height
    compared = frame.filter(
        (pl.col("indicator") == "group_vs_population") & (pl.col("versus") == "fondations")
    )
    assert set(compared["n"]) == {300}  # the smaller base of the two
    assert set(compared["flag"]) <= {"small_base", "significant"}


def test_every_output_is_written_and_says_the_respondents_are_synthetic(run: RunReport) -> None:
    names = sorted(str(p.relative_to(run.out)) for p in run.files)
    assert names == sorted(
        [
            "results.parquet", "results.json", "tables.xlsx", "report.html", "report.pdf",
            "regards-croises.html", "regards-croises.pdf",
            *(f"charts/{q}-populations.{ext}" for q in ("q2", "q7")
              for ext in ("vl.json", "svg", "png")),
        ]
    )  # fmt: skip
    meta = json.loads((run.out / "results.json").read_text("utf-8"))
    assert meta["synthetic"] and "synthétiques" in meta["notice"]
    assert meta["populations"][0]["code"] == "citoyens"
    assert meta["populations"][1]["universe_source"].startswith("Communes de France")
    for document in ("report.html", "regards-croises.html"):
        assert "Répondants synthétiques" in (run.out / document).read_text("utf-8")
    for chart in ("q2", "q7"):
        spec = (run.out / "charts" / f"{chart}-populations.vl.json").read_text("utf-8")
        assert "Répondants synthétiques (démonstration)" in spec
    pages = subprocess.run(
        ["pdfinfo", str(run.out / "regards-croises.pdf")], capture_output=True, text=True
    ).stdout
    assert "Pages:           2" in pages
    from openpyxl import load_workbook

    workbook = load_workbook(run.out / "tables.xlsx", read_only=True)
    assert workbook.sheetnames == ["Méthode", "Q2", "Q7"]


def _copy(tmp_path: Path) -> Path:
    studies = Path(__file__).parents[2] / "studies"
    for name in ("impact-citoyens", "impact-acteurs"):
        shutil.copytree(studies / name, tmp_path / name)
    return tmp_path / "impact-acteurs"


def test_each_population_is_validated_with_file_row_and_column(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    firms = folder / "data" / "entreprises.csv"
    frame = pl.read_csv(firms, infer_schema=False)
    frame = frame.with_columns(
        q2=pl.when(pl.int_range(pl.len()) == 4).then(pl.lit("maybe")).otherwise("q2"),
        size=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("huge")).otherwise("size"),
    )
    frame.write_csv(firms)
    mayors = folder / "data" / "elus.csv"
    mayors.write_text(mayors.read_text("utf-8").replace(",plus-50000,", ",moins-2000,"), "utf-8")
    (folder / "data" / "fondations.csv").unlink()
    with pytest.raises(StudyInvalid) as caught:
        validate_populations(folder)
    text = str(caught.value)
    assert f"{firms}, row 5, column 'q2': value 'maybe' is not allowed for question Q2" in text
    assert f"{firms}, row 1, column 'size': value 'huge' is not allowed" in text
    assert "respondents in region × commune_size" not in text  # counts stay within the frame
    assert "no respondent in category 'plus-50000'" in text
    assert "fondations.csv: data file of wave 2019-2022 not found" in text
    with pytest.raises(StudyInvalid):
        run_study(folder, tmp_path / "OUT")
    assert not (tmp_path / "OUT").exists()


def test_a_shared_question_must_keep_one_wording(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = tmp_path / "impact-citoyens" / "study.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    q2 = next(q for q in document["questions"] if q["code"] == "Q2")
    q2["label"] = "Le jouer collectif est-il utile ?"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(StudyInvalid, match="question Q2 differs from the one 'impact-acteurs'"):
        validate_populations(folder)
    acteurs = folder / "study.yaml"
    document = yaml.safe_load(acteurs.read_text("utf-8"))
    document["populations"][0]["wave"] = "2031"
    acteurs.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(StudyInvalid, match="no wave '2031' \\(waves: 2019, 2022\\)"):
        validate_populations(folder)


def test_more_respondents_than_a_stratum_holds_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "universes" / "entreprises.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    for cell in document["cells"]:
        if cell["size"] == "grande" and cell["sector"] == "services":
            cell["count"] = 10
    document["margins"]["size"][3]["count"] = 177
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(StudyInvalid, match="respondents in size × sector grande/services, more"):
        validate_populations(folder)
