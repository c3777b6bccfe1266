"""Weighting a wave: stratum expansion weights raked to every margin of study.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from observatoire.studies.spec.model import Study, Wave
from observatoire.survey import Design, degrees_of_freedom
from observatoire.survey.calibration import calibration_diagnostics, rake


@dataclass(frozen=True)
class WaveWeighting:
    """How a wave was weighted: what the methodology chapter reports."""

    wave: Wave
    n: int
    achieved: pl.DataFrame  # variable, category, target, achieved, sample_n
    kish_deff: float
    effective_n: float
    g_min: float
    g_max: float
    iterations: int
    df: int  # the design's degrees of freedom (R's degf): t intervals and tests


def weight_wave(study: Study, wave: Wave, data: pl.DataFrame) -> tuple[Design, WaveWeighting]:
    """Stratified design with stratum expansion weights, raked to every margin of study.yaml."""
    region = study.profile_question(study.strata)
    strata_targets = next((m.targets for m in study.margins if m.variable == study.strata), None)
    counts = data.group_by(study.strata).len()
    per = dict(counts.iter_rows())
    base = {
        code: (strata_targets[code] if strata_targets else study.population_total / len(per))
        / per[code]
        for code in (t.code for t in region.codes)
        if code in per
    }
    data = data.with_columns(
        pl.col(study.strata).replace_strict(base, return_dtype=pl.Float64).alias("_base_weight")
    )
    design = Design.from_frame(data, strata=study.strata, weights="_base_weight")
    # Margins are scaled to the population total: published counts are rounded independently.
    margins = {
        m.variable: {k: v / sum(m.targets.values()) for k, v in m.targets.items()}
        for m in study.margins
    }
    raked = rake(design, margins, as_shares=True, population_total=study.population_total)
    return raked, summarise(wave, data, raked, [m.variable for m in study.margins])


def summarise(
    wave: Wave, data: pl.DataFrame, design: Design, variables: Sequence[str]
) -> WaveWeighting:
    """What the method chapters report about a weighted design: the last calibration's
    diagnostics (or the weights' own, uncalibrated), and each margin's sample size."""
    diagnostics = calibration_diagnostics(design)
    sample_n = pl.concat(
        [
            data.group_by(pl.col(variable).alias("category"))
            .agg(pl.len().cast(pl.Int64).alias("sample_n"))
            .with_columns(variable=pl.lit(variable))
            for variable in variables
        ]
        or [pl.DataFrame(schema={"category": pl.String, "sample_n": pl.Int64,
                                 "variable": pl.String})]
    )  # fmt: skip
    achieved = diagnostics.gaps.select(
        pl.col("margin").cast(pl.String).alias("variable"),
        pl.col("category").cast(pl.String),
        "target",
        "achieved",
    ).join(sample_n, on=["variable", "category"], how="left")
    return WaveWeighting(
        wave=wave,
        n=data.height,
        achieved=achieved,
        kish_deff=diagnostics.kish_deff,
        effective_n=diagnostics.effective_n,
        g_min=diagnostics.g_min,
        g_max=diagnostics.g_max,
        iterations=diagnostics.iterations,
        df=degrees_of_freedom(design),
    )
