"""Figures read against others: a region against the rest of France, a wave against the
previous one, and the items of a grid against each other (ranks). Differences are flagged
significant where a two-sided test at the study's confidence level rejects "no difference".
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.stats import norm

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


def versus_rest(study: Study, regional: pl.DataFrame, vcov: np.ndarray) -> pl.DataFrame:
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
                flag=pl.Series(significance(diff, se, study.confidence), dtype=pl.String),
            )
        )
    return pl.concat(frames)


def significance(diff: np.ndarray, se: np.ndarray, confidence: float) -> list[str | None]:
    """`significant` where the two-sided test rejects "no difference" at the study's level."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * norm.sf(np.abs(diff) / se)
    return [
        Flag.SIGNIFICANT.value if v < 1 - confidence else None for v in np.nan_to_num(p, nan=1.0)
    ]


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

    The waves are independent samples, so the variance of the difference is the sum of the
    variances. Ranks give `rank_change` = previous rank - current rank (positive: climbed).
    """
    latest = study.latest
    previous = study.previous(latest)
    if previous is None:
        return figures.clear()
    z = float(norm.ppf(0.5 + study.confidence / 2))
    keys = [k for k in KEY if k != "wave"]
    now = figures.filter(pl.col("wave") == latest.id)
    before = figures.filter(pl.col("wave") == previous.id).select(
        *keys, pl.col("estimate").alias("_before"), pl.col("se").alias("_se_before")
    )
    joined = now.join(before, on=keys, how="inner", nulls_equal=True)
    values = joined.filter(pl.col("indicator").is_in([i.value for i in ESTIMATED]))
    diff = (values["estimate"] - values["_before"]).to_numpy()
    se = np.sqrt(values["se"].to_numpy() ** 2 + values["_se_before"].to_numpy() ** 2)
    moved = values.with_columns(
        indicator=pl.col("indicator") + CHANGE,
        estimate=pl.Series(diff),
        se=pl.Series(se),
        ci_low=pl.Series(diff - z * se),
        ci_high=pl.Series(diff + z * se),
        flag=pl.Series(significance(diff, se, study.confidence), dtype=pl.String),
    )
    climbed = joined.filter(pl.col("indicator") == Indicator.RANK).with_columns(
        indicator=pl.lit(change(Indicator.RANK)), estimate=pl.col("_before") - pl.col("estimate")
    )
    return pl.concat([moved, climbed], how="diagonal_relaxed").drop("_before", "_se_before")
