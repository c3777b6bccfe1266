"""Figures read against others: a region against the rest of France, the respondents of a
banner profile's level against the other respondents, a wave against the previous one, and the
items of a grid against each other (ranks).

Differences go through the survey engine's comparison API, so they follow the rule of every
other output of a run (the banner's markers included): Student's t on the design's degrees of
freedom, as R's `svycontrast`/`svyttest` use them. A region against the rest is a contrast in
the wave's design (its degrees of freedom), and so is a profile level against the other
respondents (the engine's `domain_vs_rest`); a change between two waves is a difference of
independent samples (variances add, and so do the two designs' degrees of freedom). A
difference is flagged significant where the two-sided test at the study's confidence level
rejects "no difference".
"""

from __future__ import annotations

import numpy as np
import polars as pl

from observatoire.results_contract import (
    CHANGE,
    DOMAIN,
    ESTIMATED,
    KEY,
    VERSUS_REST,
    Flag,
    Indicator,
    change,
)
from observatoire.studies.spec.model import Study
from observatoire.survey import Comparison, Design, Estimates, contrast, independent_differences
from observatoire.survey.comparisons import compared, domain_vs_rest


def versus_rest(study: Study, regional: pl.DataFrame, estimates: Estimates) -> pl.DataFrame:
    """Each region minus the rest of France, from the by-region `estimates` (with their
    covariance) and their rows in `regional` (`_i`: the estimate's row).

    The rest of France is the mean of the other regions weighted by their weighted bases; the
    regions being a raking margin, those bases are fixed by the weighting, so each difference is
    a fixed linear combination of the regional estimates: the engine's `contrast` (R's
    `svycontrast`), on the design's degrees of freedom.
    """
    labels = estimates.labels
    frames = []
    for _variable, rows in regional.group_by("variable", maintain_order=True):
        names = [labels[i] for i in rows["_i"].to_list()]
        weight = rows["weighted_n"].to_numpy()
        contrasts = {}
        for k, name in enumerate(names):
            others = np.where(np.arange(len(names)) == k, 0.0, weight)
            coefficients = -others / others.sum()
            coefficients[k] = 1.0
            contrasts[name] = dict(zip(names, coefficients.tolist(), strict=True))
        result = contrast(estimates, contrasts, level=study.confidence)
        frames.append(_versus_rest_rows(rows, result, study.confidence))
    return pl.concat(frames)


def level_versus_rest(
    study: Study, design: Design, by_profile: pl.DataFrame, profile: str
) -> pl.DataFrame:
    """Each level of a banner profile minus the other respondents (e.g. communes of 20,000 to
    50,000 inhabitants against all other communes), from the survey engine's `domain_vs_rest`:
    both means are ratios of the same design, so their covariance is accounted for, whether or
    not the profile is a weighting margin. `by_profile` holds the level's estimates (one row per
    variable, in the order of the variables)."""
    frames = []
    for level, rows in by_profile.group_by(profile, maintain_order=True):
        variables = rows["variable"].to_list()
        if rows["n"].min() == 0 or rows["n"].max() == design.in_domain.sum():
            continue  # a level with no respondents, or all of them: nothing to compare
        result = domain_vs_rest(design, variables, pl.col(profile) == level[0],
                                level=study.confidence)  # fmt: skip
        frames.append(_versus_rest_rows(rows, result, study.confidence))
    return pl.concat(frames) if frames else by_profile.clear()


def _versus_rest_rows(rows: pl.DataFrame, result: Comparison, confidence: float) -> pl.DataFrame:
    """The `<x>_vs_rest` rows of these figures; no weighted base (a contrast represents no
    population)."""
    return rows.with_columns(
        indicator=pl.col("indicator") + VERSUS_REST,
        **_difference_columns(result, confidence),
        weighted_n=None,
    )


def _difference_columns(result: Comparison, confidence: float) -> dict[str, pl.Series]:
    """The contract's columns of a difference: estimate, se, interval and significance flag."""
    p_value = np.nan_to_num(result.p_value, nan=1.0)
    flag = [Flag.SIGNIFICANT.value if p < 1 - confidence else None for p in p_value]
    table = result.table
    return {
        "estimate": table["estimate"],
        "se": table["se"],
        "ci_low": table["ci_low"],
        "ci_high": table["ci_high"],
        "flag": pl.Series(flag, dtype=pl.String),
    }


def ranks(figures: pl.DataFrame) -> pl.DataFrame:
    """Rank of each scale item's mean among its question's items, per wave and domain."""
    means = figures.filter(
        (pl.col("indicator") == Indicator.MEAN) & pl.col("question").str.contains(".", literal=True)
    ).with_columns(pl.col("question").str.split(".").list.first().alias("_parent"))
    return means.with_columns(
        pl.col("estimate")
        .rank(method="min", descending=True)
        .over(["wave", *DOMAIN, "_parent"])
        .cast(pl.Float64),
        indicator=pl.lit(Indicator.RANK.value),
        se=None,
        ci_low=None,
        ci_high=None,
    ).drop("_parent")


def changes(study: Study, figures: pl.DataFrame) -> pl.DataFrame:
    """Latest wave minus the previous one for every figure both waves have, with significance.

    The waves are independent samples: the engine's `independent_differences` (variance of the
    difference = sum of the variances, degrees of freedom = sum of the two designs' `_df`), one
    call per domain. Ranks give `rank_change` = previous rank - current rank
    (positive: climbed).
    """
    latest = study.latest
    previous = study.previous(latest)
    if previous is None:
        return figures.clear()
    keys = [k for k in KEY if k != "wave"]
    now = figures.filter(pl.col("wave") == latest.id)
    before = figures.filter(pl.col("wave") == previous.id).select(
        *keys,
        pl.col("estimate").alias("_before"),
        pl.col("se").alias("_se_before"),
        pl.col("_df").alias("_df_before"),
    )
    joined = now.join(before, on=keys, how="inner", nulls_equal=True)
    values = joined.filter(pl.col("indicator").is_in([i.value for i in ESTIMATED]))
    frames = []
    for (*_domain, df_before, df_now), rows in values.group_by(
        [*DOMAIN, "_df_before", "_df"], maintain_order=True
    ):
        names = [str(i) for i in range(rows.height)]
        samples = {
            wave: compared(
                names, rows[estimate].to_numpy(), np.diag(rows[se].to_numpy() ** 2),
                df, study.confidence,
            )
            for wave, estimate, se, df in (
                (previous.id, "_before", "_se_before", df_before),
                (latest.id, "estimate", "se", df_now),
            )
        }  # fmt: skip
        differences = independent_differences(
            samples, reference=previous.id, level=study.confidence
        )
        frames.append(
            rows.with_columns(
                indicator=pl.col("indicator") + CHANGE,
                **_difference_columns(differences, study.confidence),
            )
        )
    climbed = joined.filter(pl.col("indicator") == Indicator.RANK).with_columns(
        indicator=pl.lit(change(Indicator.RANK)), estimate=pl.col("_before") - pl.col("estimate")
    )
    return pl.concat([*frames, climbed], how="diagonal_relaxed").drop(
        "_before", "_se_before", "_df_before"
    )
