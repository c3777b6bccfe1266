"""The results contract: a frame that breaks it is refused with every problem named, and the one
reader finds rows by key (latest wave and France by default) and lists them in questionnaire
order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from observatoire.results_contract import (
    COLUMNS,
    INDICATORS,
    KEY,
    NATIONAL,
    SCHEMA,
    Flag,
    Indicator,
    Results,
    ResultsInvalid,
    base_indicator,
    change,
    check_results,
    read_published,
    versus_population,
    versus_rest,
)


def _row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "study": "s", "wave": "2022", "population": "citoyens", "question": "Q1",
        "indicator": "share", "category": "dynamique", "territory": NATIONAL, "profile": None,
        "profile_level": None, "versus": None,
        "position": 1, "estimate": 0.5, "se": 0.01, "ci_low": 0.48, "ci_high": 0.52, "n": 2400,
        "weighted_n": 51.9e6, "flag": None, "question_label": "Santé du territoire",
        "category_label": "Dynamique",
    }  # fmt: skip
    return {**row, **values}


def _frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA)


ROWS = (
    _row(),
    _row(category="sinistre", category_label="Sinistré", position=3, estimate=0.06),
    _row(category="en-difficulte", category_label="En difficulté", position=2, estimate=0.44),
    _row(territory="52", estimate=0.68, weighted_n=3.1e6, n=200),
    _row(territory="52", indicator="share_vs_rest", estimate=0.19, flag="significant"),
    _row(wave="2019", estimate=0.45),
    _row(indicator="share_change", estimate=0.05, flag="significant"),
    _row(profile="age", profile_level="18-24", estimate=0.4, n=20, flag="small_base"),
)


def test_the_contract_names_every_column_once_with_its_type() -> None:
    assert [c.name for c in COLUMNS] == list(SCHEMA)
    assert set(KEY) <= set(SCHEMA) and "position" in SCHEMA
    assert {"mean_change", "rank_change", "group_vs_rest"} <= INDICATORS
    assert "rank_vs_rest" not in INDICATORS
    assert (change("rank"), versus_rest(Indicator.BAND)) == ("rank_change", "band_vs_rest")
    assert base_indicator("mean_vs_rest") == Indicator.MEAN
    with pytest.raises(ValueError, match="'median'"):
        change("median")


def test_a_frame_that_breaks_the_contract_is_refused_with_every_problem() -> None:
    frame = _frame(*ROWS)
    with pytest.raises(ResultsInvalid) as missing:
        check_results(frame.drop("position", "n").with_columns(extra=pl.lit(1)), file="r.parquet")
    assert str(missing.value) == (
        "r.parquet: missing column 'position' (Int64); missing column 'n' (Int64); "
        "unexpected column 'extra'"
    )
    with pytest.raises(ResultsInvalid, match="column 'estimate' is String, not Float64"):
        check_results(frame.with_columns(pl.col("estimate").cast(pl.String)))
    broken = frame.with_columns(
        flag=pl.when(pl.col("territory") == "52").then(pl.lit("huge")).otherwise("flag"),
        indicator=pl.when(pl.col("wave") == "2019").then(pl.lit("median")).otherwise("indicator"),
    )
    with pytest.raises(ResultsInvalid) as values:
        check_results(pl.concat([broken, broken.head(1).with_columns(question=None)]))
    message = str(values.value)
    assert "column 'question' is null in 1 row(s)" in message
    assert "column 'flag' holds unknown values ['huge']" in message
    assert "column 'indicator' holds unknown values ['median']" in message


def test_duplicated_keys_are_refused() -> None:
    with pytest.raises(ResultsInvalid, match="2 rows share their key"):
        check_results(_frame(*ROWS, ROWS[0]))


def test_narrower_types_and_all_null_columns_are_cast() -> None:
    rows = [{k: v for k, v in row.items() if k not in ("flag", "versus")} for row in ROWS[:3]]
    frame = pl.DataFrame(rows).with_columns(
        pl.col("n", "position").cast(pl.Int32), flag=pl.lit(None), versus=pl.lit(None)
    )
    checked = check_results(frame)
    assert checked.schema == pl.Schema(SCHEMA)


def test_the_reader_finds_rows_by_key_with_france_and_the_latest_wave_by_default() -> None:
    results = Results(_frame(*ROWS), ["2019", "2022"])
    assert (results.latest, results.previous) == ("2022", "2019")
    assert results.estimate("Q1", "share", "dynamique") == 0.5
    assert results.estimate("Q1", "share", "dynamique", wave="2019") == 0.45
    assert results.estimate("Q1", "share", "dynamique", territory="52") == 0.68
    row = results.versus_rest("Q1", "share", "dynamique", "52")
    assert row is not None and row["flag"] == Flag.SIGNIFICANT
    assert results.change("Q1", Indicator.SHARE, "dynamique")["estimate"] == 0.05  # type: ignore[index]
    assert results.get("Q1", "share", "dynamique", profile="age", profile_level="18-24")
    assert results.get("Q9", "share", "dynamique") is None
    with pytest.raises(TypeError, match="unknown domain columns \\['region'\\]"):
        results.get("Q1", "share", "dynamique", region="52")
    assert results.territories() == ["52"]
    assert results.weighted_base("52") == 3.1e6


def test_rows_come_in_questionnaire_order() -> None:
    results = Results(_frame(*ROWS), ["2019", "2022"])
    assert [r["category"] for r in results.rows()] == ["dynamique", "en-difficulte", "sinistre"]
    assert [r["indicator"] for r in results.rows(["share_change"])] == ["share_change"]


def test_rows_of_an_unknown_wave_are_refused() -> None:
    with pytest.raises(ResultsInvalid, match="rows of waves \\['2019'\\] not in \\['2022'\\]"):
        Results(_frame(*ROWS), ["2022"])


def test_read_published_says_which_file_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ResultsInvalid, match=r"results\.parquet: file missing"):
        read_published(tmp_path)
    _frame(*ROWS).write_parquet(tmp_path / "results.parquet")
    (tmp_path / "results.json").write_text('{"title": "S"}', encoding="utf-8")
    with pytest.raises(ResultsInvalid, match=r"results\.json: no list of waves"):
        read_published(tmp_path)
    meta = {"title": "S", "waves": [{"id": "2019"}, {"id": "2022"}], "rows": []}
    (tmp_path / "results.json").write_text(json.dumps(meta), encoding="utf-8")
    published = read_published(tmp_path)
    assert published.meta == {"title": "S", "waves": [{"id": "2019"}, {"id": "2022"}]}
    assert published.results.frame.height == len(ROWS)
    (tmp_path / "results.parquet").write_text("half-written", encoding="utf-8")
    with pytest.raises(ResultsInvalid, match=r"results\.parquet: not a readable Parquet file"):
        read_published(tmp_path)


def test_populations_are_named_when_a_study_has_several() -> None:
    """IMPACT-Acteurs: one row per population, and each population against another."""
    acteurs = _row(population="entreprises", estimate=0.83, n=1000, weighted_n=4.47e6)
    rows = (
        _row(category="utile", estimate=0.74),
        {**acteurs, "category": "utile"},
        {**acteurs, "category": "utile", "indicator": versus_population("share"),
         "versus": "citoyens", "estimate": 0.09, "weighted_n": None, "flag": "significant"},
    )  # fmt: skip
    results = Results(_frame(*rows), ["2022"])
    assert results.populations == ("citoyens", "entreprises")
    assert results.estimate("Q1", "share", "utile", population="entreprises") == 0.83
    assert results.estimate("Q1", "share", "utile", population="citoyens") == 0.74
    with pytest.raises(TypeError, match=r"several populations \(citoyens, entreprises\)"):
        results.estimate("Q1", "share", "utile")
    row = results.versus_population("Q1", "share", "utile", "entreprises", "citoyens")
    assert row is not None and row["estimate"] == 0.09 and row["flag"] == Flag.SIGNIFICANT
    assert results.versus_population("Q1", "share", "utile", "citoyens", "entreprises") is None
    assert results.weighted_base(population="entreprises") == 4.47e6
    assert base_indicator("group_vs_population") == Indicator.GROUP
    assert "rank_vs_population" not in INDICATORS
    # one population: the reader never needs it named
    assert Results(_frame(*ROWS), ["2019", "2022"]).populations == ("citoyens",)
