"""Region-vs-rest contrasts agree with the engine's own domain_vs_rest test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from observatoire.results_contract import NATIONAL
from observatoire.studies.compute import weight_wave
from observatoire.studies.compute.comparisons import changes, versus_rest
from observatoire.studies.compute.estimates import Base, estimate
from observatoire.studies.compute.figures import analysis_frame
from observatoire.studies.spec.validate import validate_study
from observatoire.survey import Estimates, degrees_of_freedom, independent_differences
from observatoire.survey.comparisons import domain_vs_rest


@pytest.fixture(scope="module")
def weighted() -> dict[str, Any]:
    study, waves = validate_study(Path(__file__).resolve().parents[2] / "studies/impact-citoyens")
    wave = study.latest
    data, families = analysis_frame(study, wave.id, waves[wave.id])
    design, weighting = weight_wave(study, wave, data)
    return {"study": study, "data": data, "families": families, "design": design,
            "weighting": weighting}  # fmt: skip


def test_raking_reaches_every_target(weighted: dict[str, Any]) -> None:
    achieved = weighted["weighting"].achieved
    assert achieved.height == 12 + 2 + 5 + 3 + 4
    gap = (pl.col("achieved") - pl.col("target")).abs() > 1e-6 * pl.col("target")
    assert achieved.filter(gap).is_empty()


@pytest.mark.parametrize(
    ("question", "item", "tolerance"), [("Q1", None, 1e-9), ("Q3", "sante", 1e-4)]
)
def test_region_vs_rest_matches_the_engine(
    weighted: dict[str, Any], question: str, item: str | None, tolerance: float
) -> None:
    """Exact for full bases; with "don't know" answers the regions' bases are taken as fixed."""
    family = next(f for f in weighted["families"] if f.source.code == question and f.item == item)
    design = weighted["design"]
    base = Base(weighted["data"][family.answered].to_numpy(), family.figures)
    regional, estimates = estimate(design, base, "region", 0.95, covariance=True)
    contrasts = versus_rest(weighted["study"], regional.rename({"region": "territory"}), estimates)
    columns = [f.column for f in family.figures]
    order = pl.DataFrame({"variable": columns, "_sequence": range(len(columns))})
    for code in ("52", "11", "32"):
        engine = domain_vs_rest(design.subset(base.answered), columns, pl.col("region") == code)
        mine = contrasts.filter(pl.col("territory") == code).join(order, on="variable")
        mine = mine.sort("_sequence")
        np.testing.assert_allclose(mine["estimate"], engine.estimate, rtol=1e-9)
        np.testing.assert_allclose(mine["se"], engine.se, rtol=tolerance)
        for bound in ("ci_low", "ci_high"):  # t on the design's degrees of freedom, as R's
            np.testing.assert_allclose(mine[bound], engine.table[bound], atol=tolerance)
        significant = (engine.p_value < 0.05).tolist()
        assert (mine["flag"] == "significant").fill_null(False).to_list() == significant


def test_changes_are_the_engines_independent_differences(weighted: dict[str, Any]) -> None:
    """Q1 and Q3's items, 2019 to 2022: the run's changes are `independent_differences` of the
    two waves' engine estimates, t on the sum of the two designs' degrees of freedom (each
    figure's own: R's `degf` of the respondents who answered)."""
    study, waves = validate_study(Path(__file__).resolve().parents[2] / "studies/impact-citoyens")
    previous = study.previous(study.latest)
    assert previous is not None
    samples: dict[str, dict[tuple[str, str | None], Estimates]] = {}
    figures, df = [], {}
    for wave in (previous, study.latest):
        data, families = analysis_frame(study, wave.id, waves[wave.id])
        design, weighting = weight_wave(study, wave, data)
        df[wave.id] = weighting.df
        assert (
            weighting.df == degrees_of_freedom(design) == data.height - 12
        )  # 12 regions as strata
        chosen = [f for f in families if f.source.code in ("Q1", "Q3")]
        figures_of_wave = []
        for family in chosen:
            base = Base(data[family.answered].to_numpy(), family.figures)
            table, estimates = estimate(design, base, None, study.confidence)
            samples.setdefault(wave.id, {})[family.source.code, family.item] = estimates
            figures_of_wave.append(table)
        figures.append(
            pl.concat(figures_of_wave).with_columns(
                wave=pl.lit(wave.id), population=pl.lit(study.population),
                territory=pl.lit(NATIONAL), profile=pl.lit(None, pl.String),
                profile_level=pl.lit(None, pl.String), versus=pl.lit(None, pl.String),
                flag=pl.lit(None, pl.String),
            )
        )  # fmt: skip
    moved = changes(study, pl.concat(figures)).filter(pl.col("indicator") != "rank_change")
    engine = pl.concat(
        independent_differences(
            {previous.id: before, study.latest.id: now}, reference=previous.id
        ).table
        for key, before in samples[previous.id].items()
        for now in [samples[study.latest.id].get(key)]
        if now is not None
    )
    assert moved.height == engine.height > 3
    moved, engine = moved.sort("variable"), engine.sort("label")
    assert moved["variable"].to_list() == engine["label"].to_list()
    full_bases = df[previous.id] + df[study.latest.id]  # Q1; Q3's items: their answerers'
    degrees = engine["df"].to_numpy()
    assert degrees.max() == full_bases and degrees.min() < full_bases
    for column in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(moved[column], engine[column], rtol=1e-12)
    significant = (engine["p_value"] < 1 - study.confidence).to_list()
    assert (moved["flag"] == "significant").fill_null(False).to_list() == significant
    assert 0 < sum(significant) < len(significant)
