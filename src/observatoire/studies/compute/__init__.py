"""Weighting every wave and computing every figure through the survey engine.

Each wave is a stratified design (strata = study regions, each respondent its own unit),
raked to the weighting targets. Every figure is then estimated nationally, by study region, by
each banner profile and (latest wave) for each region against the rest of France, always with
its standard error, confidence interval and bases. Waves are compared figure by figure
(independent samples: variances and degrees of freedom add) and scale items are ranked within
each wave and domain. Every interval and test uses Student's t on the design's degrees of
freedom, as the engine and R do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from observatoire.results_contract import Flag, check_results
from observatoire.studies.compute.comparisons import changes, ranks
from observatoire.studies.compute.estimates import bases, wave_figures
from observatoire.studies.compute.figures import analysis_frame
from observatoire.studies.compute.weighting import WaveWeighting, weight_wave
from observatoire.studies.spec.model import Study
from observatoire.survey import Design

__all__ = ["StudyResults", "WaveWeighting", "compute_study", "finish", "weight_wave"]


@dataclass(frozen=True)
class StudyResults:
    study: Study
    results: pl.DataFrame  # the published tidy rows (observatoire.results_contract)
    weighting: dict[str, WaveWeighting]
    designs: dict[str, Design] = field(default_factory=dict)  # weighted waves, in memory only


def compute_study(
    study: Study,
    waves: dict[str, pl.DataFrame],
    progress: Callable[[str], None] = lambda _label: None,
) -> StudyResults:
    """Weight every wave and compute every published figure, with changes and ranks."""
    frames = []
    weighting = {}
    designs = {}
    for wave in study.chronology:
        progress(f"Weighting wave {wave.id}")
        data, families = analysis_frame(study, wave.id, waves[wave.id])
        answers = waves[wave.id].drop([c for c in waves[wave.id].columns if c in data.columns])
        design, weighting[wave.id] = weight_wave(study, wave, data.hstack(answers))
        designs[wave.id] = design
        progress(f"Estimating wave {wave.id}")
        latest = wave.id == study.latest.id
        together = bases(families, data)
        frames.append(wave_figures(study, wave, design, together, with_contrasts=latest))
    figures = pl.concat(frames, how="diagonal_relaxed").with_columns(
        population=pl.lit(study.population), versus=pl.lit(None, dtype=pl.String)
    )
    progress("Wave-over-wave changes and rankings")
    figures = pl.concat([figures, ranks(figures)], how="diagonal_relaxed")
    figures = pl.concat([figures, changes(study, figures)], how="diagonal_relaxed")
    results = finish(figures, study.code, study.min_base, study.suppress_below)
    return StudyResults(study, results, weighting, designs)


def finish(figures: pl.DataFrame, code: str, min_base: int, suppress_below: int) -> pl.DataFrame:
    """Flag small bases, suppress tiny ones, number the figures in questionnaire order (`_order`)
    and give the rows of study `code` the contract's columns, in questionnaire order."""
    small = pl.col("n") < min_base
    tiny = pl.col("n") < suppress_below
    flagged = figures.with_columns(
        flag=pl.when(tiny)
        .then(pl.lit(Flag.SUPPRESSED.value))
        .when(small & pl.col("flag").is_null())
        .then(pl.lit(Flag.SMALL_BASE.value))
        .otherwise(pl.col("flag"))
    ).with_columns(
        [pl.when(tiny).then(None).otherwise(pl.col(c)).alias(c)
         for c in ("estimate", "se", "ci_low", "ci_high")]
    )  # fmt: skip
    rows = flagged.with_columns(
        study=pl.lit(code), position=pl.col("_order").rank("dense").cast(pl.Int64)
    ).drop("_order", "_df", strict=False)
    order = ["wave", "position", "indicator", "territory", "profile", "profile_level"]
    return check_results(rows.sort(order, nulls_last=False))
