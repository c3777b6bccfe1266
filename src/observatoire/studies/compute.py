"""Weighting every wave and computing every figure through the survey engine.

Each wave is a stratified design (strata = study regions, each respondent its own unit),
raked to the weighting targets. Every figure is then estimated nationally, by study region, by
each banner profile and (latest wave) for each region against the rest of France, always with
its standard error, confidence interval and bases. Waves are compared figure by figure
(independent samples: variances add) and scale items are ranked within each wave and domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import norm

from observatoire.studies.figures import Family, analysis_frame
from observatoire.studies.model import Study, Wave
from observatoire.survey import Design
from observatoire.survey.calibration import calibration_diagnostics, rake
from observatoire.survey.estimators import mean

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


def compute_study(
    study: Study,
    waves: dict[str, pl.DataFrame],
    progress: Callable[[str], None] = lambda _label: None,
) -> StudyResults:
    """Weight every wave and compute every published figure, with changes and ranks."""
    frames = []
    weighting = {}
    for wave in sorted(study.waves, key=lambda w: w.year):
        progress(f"Weighting wave {wave.id}")
        data, families = analysis_frame(study, wave.id, waves[wave.id])
        data = data.with_columns(
            pl.when(pl.col(study.territory) == code).then(pl.lit("in")).otherwise(pl.lit("out"))
            .alias(_inside(code))
            for code in _regions(study)
        )  # fmt: skip
        design, weighting[wave.id] = weight_wave(study, wave, data)
        progress(f"Estimating wave {wave.id}")
        frames.append(_wave_figures(study, wave, design, families))
        if wave.id == study.latest.id:
            progress(f"Comparing each region with the rest of France ({wave.id})")
            frames.append(_versus_rest(study, wave, design, families))
    figures = pl.concat(frames, how="diagonal_relaxed")
    progress("Wave-over-wave changes and rankings")
    figures = pl.concat([figures, _ranks(figures)], how="diagonal_relaxed")
    figures = pl.concat([figures, _changes(study, figures)], how="diagonal_relaxed")
    results = _finish(study, figures)
    return StudyResults(study, results, weighting)


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
    margins = {m.variable: m.targets for m in study.margins}
    raked = rake(design, margins)
    diagnostics = calibration_diagnostics(raked)
    g = raked.weights / design.weights
    achieved = pl.concat(
        [
            pl.DataFrame({"_w": raked.weights, "category": data[m.variable]})
            .group_by("category")
            .agg(pl.col("_w").sum().alias("achieved"), pl.len().cast(pl.Int64).alias("sample_n"))
            .join(
                pl.DataFrame({"category": list(m.targets), "target": list(m.targets.values())}),
                on="category",
                how="right",
            )
            .with_columns(pl.lit(m.variable).alias("variable"))
            for m in study.margins
        ]
    ).select("variable", "category", "target", "achieved", "sample_n")
    w = raked.weights
    kish = float(len(w) * (w**2).sum() / w.sum() ** 2)
    summary = WaveWeighting(
        wave=wave,
        n=data.height,
        achieved=achieved,
        kish_deff=kish,
        effective_n=data.height / kish,
        g_min=float(g.min()),
        g_max=float(g.max()),
        iterations=int(getattr(diagnostics, "iterations", 0)),
    )
    return raked, summary


def _estimate(design: Design, family: Family, by: str | None, level: float) -> pl.DataFrame:
    """One family's figures over the domains of `by` (or all respondents)."""
    subset = design.subset(design.data[family.answered].to_numpy())
    columns = [f.column for f in family.figures]
    estimates = mean(subset, columns, by=[by] if by else None, level=level)
    meta = pl.DataFrame(
        {
            "variable": columns,
            "question": [f.question for f in family.figures],
            "question_label": [f.question_label for f in family.figures],
            "indicator": [f.indicator for f in family.figures],
            "category": [f.category for f in family.figures],
            "category_label": [f.category_label for f in family.figures],
        },
        schema_overrides={"category": pl.String, "category_label": pl.String},
    )
    table = estimates.table.select(
        *([pl.col(by).cast(pl.String)] if by else []),
        "variable", "estimate", "se", "ci_low", "ci_high",
        pl.col("n").cast(pl.Int64), pl.col("weighted_n").cast(pl.Float64),
    )  # fmt: skip
    return table.join(meta, on="variable", how="left").drop("variable")


def _wave_figures(study: Study, wave: Wave, design: Design, families: list[Family]) -> pl.DataFrame:
    frames = []
    for family in families:
        national = _estimate(design, family, None, study.confidence)
        frames.append(national.with_columns(territory=pl.lit(NATIONAL)))
        regional = _estimate(design, family, study.territory, study.confidence)
        frames.append(regional.rename({study.territory: "territory"}))
        for profile in study.banner:
            by_profile = _estimate(design, family, profile, study.confidence)
            frames.append(
                by_profile.rename({profile: "profile_level"}).with_columns(
                    territory=pl.lit(NATIONAL), profile=pl.lit(profile)
                )
            )
    return pl.concat(frames, how="diagonal_relaxed").with_columns(wave=pl.lit(wave.id))


def _versus_rest(study: Study, wave: Wave, design: Design, families: list[Family]) -> pl.DataFrame:
    """Each region minus the rest of France, in the same design (covariance-aware)."""
    z = float(norm.ppf(0.5 + study.confidence / 2))
    rows = []
    for code in _regions(study):
        split = _inside(code)
        for family in families:
            subset = design.subset(design.data[family.answered].to_numpy())
            columns = [f.column for f in family.figures]
            both = mean(subset, columns, by=[split], level=study.confidence)
            table = both.table.with_row_index("_i")
            inside = table.filter(pl.col(split) == "in").select("_i", "variable", "estimate", "n")
            outside = table.filter(pl.col(split) == "out").select("_i", "variable", "estimate")
            pairs = inside.join(outside, on="variable", suffix="_out")
            i, j = pairs["_i"].to_numpy(), pairs["_i_out"].to_numpy()
            se = np.sqrt(np.maximum(both.vcov[i, i] + both.vcov[j, j] - 2 * both.vcov[i, j], 0))
            diff = pairs["estimate"].to_numpy() - pairs["estimate_out"].to_numpy()
            meta = {f.column: f for f in family.figures}
            figures = [meta[v] for v in pairs["variable"]]
            rows.append(
                pl.DataFrame(
                    {
                        "question": [f.question for f in figures],
                        "question_label": [f.question_label for f in figures],
                        "indicator": [f"{f.indicator}{VERSUS_REST}" for f in figures],
                        "category": [f.category for f in figures],
                        "category_label": [f.category_label for f in figures],
                        "territory": code,
                        "estimate": diff,
                        "se": se,
                        "ci_low": diff - z * se,
                        "ci_high": diff + z * se,
                        "n": pairs["n"].cast(pl.Int64),
                        "flag": _significance(diff, se, study.confidence),
                    },
                    schema_overrides={"category": pl.String, "category_label": pl.String},
                )
            )
    return pl.concat(rows, how="diagonal_relaxed").with_columns(wave=pl.lit(wave.id))


def _regions(study: Study) -> list[str]:
    return [t.code for t in study.profile_question(study.territory).codes]


def _inside(code: str) -> str:
    return f"_in_{code}"


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
