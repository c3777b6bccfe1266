"""Weighting every wave and computing every figure through the survey engine.

Each wave is a stratified design (strata = study regions, each respondent its own unit),
raked to the weighting targets. Every figure is then estimated nationally, by study region, by
each banner profile and (latest wave) for each region against the rest of France, always with
its standard error, confidence interval and bases. Waves are compared figure by figure
(independent samples: variances add) and scale items are ranked within each wave and domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.stats import norm

from observatoire.studies.figures import Family, Figure, analysis_frame
from observatoire.studies.model import Study, Wave
from observatoire.survey import Design
from observatoire.survey.calibration import calibration_diagnostics, rake
from observatoire.survey.estimators import Estimates, mean

NATIONAL = "FR"
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "study": pl.String(),
    "wave": pl.String(),
    "question": pl.String(),
    "indicator": pl.String(),
    "category": pl.String(),
    "territory": pl.String(),
    "profile": pl.String(),
    "profile_level": pl.String(),
    "estimate": pl.Float64(),
    "se": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "n": pl.Int64(),
    "weighted_n": pl.Float64(),
    "flag": pl.String(),
    "question_label": pl.String(),
    "category_label": pl.String(),
}
CHANGE_INDICATORS = ("mean", "share", "band", "group")
VERSUS_REST = "_vs_rest"


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


@dataclass(frozen=True)
class StudyResults:
    study: Study
    results: pl.DataFrame  # the published tidy figures, RESULT_SCHEMA
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
    for wave in sorted(study.waves, key=lambda w: w.year):
        progress(f"Weighting wave {wave.id}")
        data, families = analysis_frame(study, wave.id, waves[wave.id])
        answers = waves[wave.id].drop([c for c in waves[wave.id].columns if c in data.columns])
        design, weighting[wave.id] = weight_wave(study, wave, data.hstack(answers))
        designs[wave.id] = design
        progress(f"Estimating wave {wave.id}")
        latest = wave.id == study.latest.id
        bases = _bases(families, data)
        frames.append(_wave_figures(study, wave, design, bases, versus_rest=latest))
    figures = pl.concat(frames, how="diagonal_relaxed")
    progress("Wave-over-wave changes and rankings")
    figures = pl.concat([figures, _ranks(figures)], how="diagonal_relaxed")
    figures = pl.concat([figures, _changes(study, figures)], how="diagonal_relaxed")
    results = _finish(study, figures)
    return StudyResults(study, results, weighting, designs)


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
    diagnostics = calibration_diagnostics(raked)
    sample_n = pl.concat(
        [
            data.group_by(pl.col(m.variable).alias("category"))
            .agg(pl.len().cast(pl.Int64).alias("sample_n"))
            .with_columns(variable=pl.lit(m.variable))
            for m in study.margins
        ]
    )
    achieved = diagnostics.gaps.select(
        pl.col("margin").cast(pl.String).alias("variable"),
        pl.col("category").cast(pl.String),
        "target",
        "achieved",
    ).join(sample_n, on=["variable", "category"], how="left")
    summary = WaveWeighting(
        wave=wave,
        n=data.height,
        achieved=achieved,
        kish_deff=diagnostics.kish_deff,
        effective_n=diagnostics.effective_n,
        g_min=diagnostics.g_min,
        g_max=diagnostics.g_max,
        iterations=diagnostics.iterations,
    )
    return raked, summary


@dataclass(frozen=True)
class _Base:
    """Figures estimated together: the families that share one set of respondents."""

    answered: np.ndarray
    figures: tuple[Figure, ...]


def _bases(families: list[Family], data: pl.DataFrame) -> list[_Base]:
    """Merge the families whose bases are the same respondents (one engine call for all)."""
    merged: dict[bytes, list[Figure]] = {}
    masks: dict[bytes, np.ndarray] = {}
    for family in families:
        mask = data[family.answered].to_numpy()
        key = np.packbits(mask).tobytes()
        masks[key] = mask
        merged.setdefault(key, []).extend(family.figures)
    return [_Base(masks[key], tuple(figures)) for key, figures in merged.items()]


def _estimate(
    design: Design, base: _Base, by: str | None, level: float, *, covariance: bool = False
) -> tuple[pl.DataFrame, Estimates]:
    """One base's figures over the domains of `by` (or all respondents); `_i` = vcov row."""
    columns = [f.column for f in base.figures]
    estimates = mean(
        design.subset(base.answered), columns, by=by, level=level, covariance=covariance
    )
    meta = pl.DataFrame(
        {
            "variable": columns,
            "question": [f.question for f in base.figures],
            "question_label": [f.question_label for f in base.figures],
            "indicator": [f.indicator for f in base.figures],
            "category": [f.category for f in base.figures],
            "category_label": [f.category_label for f in base.figures],
        },
        schema_overrides={"category": pl.String, "category_label": pl.String},
    )
    table = estimates.table.with_row_index("_i").select(
        "_i",
        *([pl.col(by).cast(pl.String)] if by else []),
        "variable", "estimate", "se", "ci_low", "ci_high",
        pl.col("n").cast(pl.Int64), pl.col("weighted_n").cast(pl.Float64),
    )  # fmt: skip
    return table.join(meta, on="variable", how="left", maintain_order="left"), estimates


def _wave_figures(
    study: Study, wave: Wave, design: Design, bases: list[_Base], *, versus_rest: bool
) -> pl.DataFrame:
    """Every figure nationally, by region and by profile; optionally each region vs the rest."""
    frames = []
    for base in bases:
        national, _ = _estimate(design, base, None, study.confidence)
        frames.append(national.with_columns(territory=pl.lit(NATIONAL)))
        regional, estimates = _estimate(
            design, base, study.territory, study.confidence, covariance=versus_rest
        )
        regional = regional.rename({study.territory: "territory"})
        frames.append(regional)
        if versus_rest:
            frames.append(_versus_rest(study, regional, estimates.vcov))
        for profile in study.banner:
            by_profile, _ = _estimate(design, base, profile, study.confidence)
            frames.append(
                by_profile.rename({profile: "profile_level"}).with_columns(
                    territory=pl.lit(NATIONAL), profile=pl.lit(profile)
                )
            )
    return (
        pl.concat(frames, how="diagonal_relaxed")
        .drop("_i", "variable")
        .with_columns(wave=pl.lit(wave.id))
    )


def _versus_rest(study: Study, regional: pl.DataFrame, vcov: np.ndarray) -> pl.DataFrame:
    """Each region minus the rest of France, from the by-region estimates and their covariance.

    The rest of France is the mean of the other regions weighted by their weighted bases; the
    regions being a raking margin, those bases are fixed by the weighting, so each contrast is a
    fixed linear combination c of the regional estimates and its variance is c' V c.
    """
    z = float(norm.ppf(0.5 + study.confidence / 2))
    frames = []
    for _variable, rows in regional.group_by("variable", maintain_order=True):
        index = rows["_i"].to_numpy()
        estimate = rows["estimate"].to_numpy()
        weight = rows["weighted_n"].to_numpy()
        k = len(index)
        others = weight[None, :] * (1 - np.eye(k))
        contrast = np.eye(k) - others / others.sum(axis=1, keepdims=True)
        diff = contrast @ estimate
        cov = vcov[np.ix_(index, index)]
        se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", contrast, cov, contrast), 0.0))
        frames.append(
            rows.with_columns(
                indicator=pl.col("indicator") + VERSUS_REST,
                estimate=pl.Series(diff),
                se=pl.Series(se),
                ci_low=pl.Series(diff - z * se),
                ci_high=pl.Series(diff + z * se),
                weighted_n=None,
                flag=pl.Series(_significance(diff, se, study.confidence), dtype=pl.String),
            )
        )
    return pl.concat(frames)


def _regions(study: Study) -> list[str]:
    return [t.code for t in study.profile_question(study.territory).codes]


def _significance(diff: np.ndarray, se: np.ndarray, confidence: float) -> list[str | None]:
    """ "significant" where the two-sided test rejects "no difference" at the study's level."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * norm.sf(np.abs(diff) / se)
    return ["significant" if v < 1 - confidence else None for v in np.nan_to_num(p, nan=1.0)]


_DOMAIN = ["wave", "territory", "profile", "profile_level"]


def _ranks(figures: pl.DataFrame) -> pl.DataFrame:
    """Rank of each scale item's mean among its question's items, per wave and domain."""
    means = figures.filter(
        (pl.col("indicator") == "mean") & pl.col("question").str.contains(".", literal=True)
    ).with_columns(pl.col("question").str.split(".").list.first().alias("_parent"))
    return means.with_columns(
        pl.col("estimate")
        .rank(method="min", descending=True)
        .over([*_DOMAIN, "_parent"])
        .cast(pl.Float64),
        indicator=pl.lit("rank"),
        se=None,
        ci_low=None,
        ci_high=None,
    ).drop("_parent")


def _changes(study: Study, figures: pl.DataFrame) -> pl.DataFrame:
    """Latest wave minus the previous one for every figure both waves have, with significance.

    The waves are independent samples, so the variance of the difference is the sum of the
    variances. Ranks give `rank_change` = previous rank - current rank (positive: climbed).
    """
    latest = study.latest
    previous = study.previous(latest)
    if previous is None:
        return figures.clear()
    z = float(norm.ppf(0.5 + study.confidence / 2))
    keys = ["question", "indicator", "category", "territory", "profile", "profile_level"]
    now = figures.filter(pl.col("wave") == latest.id)
    before = figures.filter(pl.col("wave") == previous.id).select(
        *keys, pl.col("estimate").alias("_before"), pl.col("se").alias("_se_before")
    )
    joined = now.join(before, on=keys, how="inner", nulls_equal=True)
    values = joined.filter(pl.col("indicator").is_in(CHANGE_INDICATORS))
    diff = (values["estimate"] - values["_before"]).to_numpy()
    se = np.sqrt(values["se"].to_numpy() ** 2 + values["_se_before"].to_numpy() ** 2)
    changes = values.with_columns(
        indicator=pl.col("indicator") + "_change",
        estimate=pl.Series(diff),
        se=pl.Series(se),
        ci_low=pl.Series(diff - z * se),
        ci_high=pl.Series(diff + z * se),
        flag=pl.Series(_significance(diff, se, study.confidence), dtype=pl.String),
    )
    ranks = joined.filter(pl.col("indicator") == "rank").with_columns(
        indicator=pl.lit("rank_change"), estimate=pl.col("_before") - pl.col("estimate")
    )
    return pl.concat([changes, ranks], how="diagonal_relaxed").drop("_before", "_se_before")


def _finish(study: Study, figures: pl.DataFrame) -> pl.DataFrame:
    """Flag small bases, suppress tiny ones, and order the columns as published."""
    small = pl.col("n") < study.min_base
    tiny = pl.col("n") < study.suppress_below
    flagged = figures.with_columns(
        flag=pl.when(tiny)
        .then(pl.lit("suppressed"))
        .when(small & pl.col("flag").is_null())
        .then(pl.lit("small_base"))
        .otherwise(pl.col("flag"))
    ).with_columns(
        [pl.when(tiny).then(None).otherwise(pl.col(c)).alias(c)
         for c in ("estimate", "se", "ci_low", "ci_high")]
    )  # fmt: skip
    return (
        flagged.with_columns(study=pl.lit(study.code))
        .select([pl.col(name).cast(dtype) for name, dtype in RESULT_SCHEMA.items()])
        .sort(
            ["wave", "question", "indicator", "territory", "profile", "profile_level", "category"],
            nulls_last=False,
        )
    )
