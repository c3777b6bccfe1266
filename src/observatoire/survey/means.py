"""Means, totals, ratios and variances (R's `svymean`, `svytotal`, `svyratio`, `svyvar`).

Variances use linearisation (`linearization.domain_variances`) on the design, or the replicate
weights when the design has them; intervals use the normal quantile, as R's `confint`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError, column_names
from observatoire.survey.estimates import (
    Domains,
    Estimates,
    analysis_columns,
    domain_sums,
    domains,
    tidy_table,
    valid_rows,
)
from observatoire.survey.linearization import degrees_of_freedom, domain_variances
from observatoire.survey.memory import small_pages


def _linear(
    design: Design,
    variables: Sequence[str] | str,
    by: Sequence[str] | str | None,
    na_rm: bool,
    level: float,
    deff: bool | Literal["replace"],
    covariance: bool | None,
    statistic: Literal["mean", "total"],
) -> Estimates:
    """Means and totals (with proportions and counts of factor levels) by domain."""
    names = column_names(variables, "variables")
    by_names = column_names(by, "by", optional=True)
    columns = analysis_columns(design, names)
    cells = domains(design, by_names)
    valid = valid_rows(design, columns, na_rm, cells.code >= 0)
    y = columns.values
    if not valid.all():  # rows with a missing value leave the estimate (na_rm)
        y[~valid] = 0.0
    partition = np.where(valid, cells.code, -1)
    masks = Domains(cells.keys, partition).masks  # (n, D)
    k, n_domains = y.shape[1], masks.shape[1]

    def point(weights: np.ndarray) -> np.ndarray:
        """Estimates (m, K*D) for m weight columns, variable-major."""
        sums = domain_sums(weights, masks, y)
        if statistic == "mean":
            sums = sums / (weights.T @ masks)[:, None, :]
        return sums.reshape(weights.shape[1], k * n_domains)

    w = design.weights
    estimate = point(w[:, None])[0]
    domain_w = w[:, None] * masks  # (n, D)
    totals_w = domain_w.sum(axis=0)
    centre = estimate.reshape(k, n_domains)

    if covariance is None:
        covariance = not by_names
    scales = np.broadcast_to(totals_w if statistic == "mean" else 1.0, centre.shape)
    centres = centre if statistic == "mean" else np.zeros_like(centre)
    if design.replicates is not None:
        vcov = design.replicates.variance(point(design.replicates.weights), estimate)
    elif covariance:
        vcov = domain_variances(
            design,
            y,
            domain_w,
            centres,
            scales,
            covariance=True,
            overwrite=not deff,
            partition=partition,
        )
    else:
        vcov = np.full((estimate.shape[0], estimate.shape[0]), np.nan)
        variances = domain_variances(
            design, y, domain_w, centres, scales, overwrite=not deff, partition=partition
        )
        np.fill_diagonal(vcov, variances)
    counts = masks.sum(axis=0)
    deffs = None
    if deff:
        deffs = _design_effect(
            np.diag(vcov), y, domain_w, counts, totals_w, statistic, replace=deff == "replace"
        )
    table = tidy_table(
        by_names,
        cells,
        columns.variables,
        columns.levels,
        estimate,
        vcov,
        counts,
        totals_w,
        level,
        deffs,
    )
    return Estimates(table, vcov, degrees_of_freedom(design), tuple(by_names))


def _design_effect(
    variance: np.ndarray,
    y: np.ndarray,
    domain_w: np.ndarray,
    counts: np.ndarray,
    totals_w: np.ndarray,
    statistic: Literal["mean", "total"],
    *,
    replace: bool,
) -> np.ndarray:
    """R's deff: design variance over the variance under simple random sampling without
    replacement, or with replacement when `replace` (R's deff="replace")."""
    means = np.einsum("nd,nk->kd", domain_w, y) / totals_w  # (K, D)
    squares = np.einsum("nd,nk->kd", domain_w, y * y) / totals_w
    element_var = (squares - means**2) * counts / (counts - 1)  # svyvar, n/(n-1)
    if statistic == "mean":
        srs = (
            element_var / counts
            if replace
            else (element_var * (totals_w - counts) / (totals_w * counts))
        )
    else:
        srs = element_var * totals_w**2 / counts
        if not replace:
            srs = srs * (totals_w - counts) / totals_w
    return np.asarray(variance / srs.reshape(-1))


@small_pages()
def mean(
    design: Design,
    variables: Sequence[str] | str,
    *,
    by: Sequence[str] | str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    deff: bool | Literal["replace"] = False,
    covariance: bool | None = None,
) -> Estimates:
    """Weighted means; a text column gives the proportion of each level (R's `svymean`).

    `deff=True` adds design effects against simple random sampling without replacement,
    `deff="replace"` with replacement. `covariance` asks for the covariance between estimates
    (`vcov`); by default, as R, it is computed without `by` and not with `by` (then `vcov` holds
    the variances on its diagonal and NaN elsewhere; pass `covariance=True` for domain contrasts).

    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "w": [1.0, 1.0, 2.0, 2.0]})
    >>> mean(Design.from_frame(frame, weights="w"), "y").table["estimate"].round(4).to_list()
    [2.8333]
    """
    return _linear(design, variables, by, na_rm, level, deff, covariance, "mean")


@small_pages()
def total(
    design: Design,
    variables: Sequence[str] | str,
    *,
    by: Sequence[str] | str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    deff: bool | Literal["replace"] = False,
    covariance: bool | None = None,
) -> Estimates:
    """Weighted totals; a text column gives the estimated count of each level (`svytotal`).

    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "w": [1.0, 1.0, 2.0, 2.0]})
    >>> total(Design.from_frame(frame, weights="w"), "y").table["estimate"].to_list()
    [17.0]
    """
    return _linear(design, variables, by, na_rm, level, deff, covariance, "total")


@small_pages()
def var(
    design: Design,
    variables: Sequence[str] | str,
    *,
    by: Sequence[str] | str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
) -> Estimates:
    """Population variances of numeric columns (R's `svyvar`), one row per variable.

    The estimate is Σw(y − ȳ)² / Σw × n / (n − 1), n the sampled rows of the domain (rows with a
    missing value included on a linearisation design, left out on a replicate design, as R);
    its standard error is that of the mean of (y − ȳ)² n / (n − 1) with ȳ held fixed, as R's.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0, 6.0]})
    >>> var(Design.from_frame(frame), "y").table["estimate"].round(4).to_list()
    [4.6667]
    """
    names = column_names(variables, "variables")
    by_names = column_names(by, "by", optional=True)
    columns = analysis_columns(design, names)
    if any(level_ is not None for level_ in columns.levels):
        raise SurveyError("variances need numeric columns", column=columns.variables[0])
    cells = domains(design, by_names)
    valid = valid_rows(design, columns, na_rm, cells.code >= 0)
    y = columns.values
    y[~valid] = 0.0
    partition = np.where(valid, cells.code, -1)
    masks = Domains(cells.keys, partition).masks
    k, n_domains = y.shape[1], masks.shape[1]
    domain_w = design.weights[:, None] * masks
    totals_w = domain_w.sum(axis=0)
    counts = masks.sum(axis=0)

    def point(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Variances (K·D,) under one weight column, n = `rows` per domain."""
        w = weights[:, None] * masks
        base = w.sum(axis=0)
        centre = (w.T @ y) / base[:, None]  # (D, K)
        squares = np.square(y - centre[np.maximum(partition, 0)])
        return np.asarray(((w.T @ squares) / base[:, None] * (rows / (rows - 1))[:, None]).T)

    if design.replicates is not None:
        estimate = point(design.weights, counts).reshape(-1)
        reps = design.replicates.weights
        thetas = np.stack([point(reps[:, r], counts).reshape(-1) for r in range(reps.shape[1])])
        vcov = design.replicates.variance(thetas, estimate)
    else:
        rows = np.bincount(cells.code[cells.code >= 0], minlength=n_domains)
        centre = (domain_w.T @ y) / totals_w[:, None]  # (D, K)
        z = np.square(y - centre[np.maximum(partition, 0)])
        z *= (rows / (rows - 1))[np.maximum(partition, 0)][:, None]
        z[partition < 0] = 0.0
        estimate = ((domain_w.T @ z) / totals_w[:, None]).T.reshape(-1)
        centres = estimate.reshape(k, n_domains)
        scales = np.broadcast_to(totals_w, centres.shape)
        if by_names:  # as for means: no covariance between domains unless asked
            vcov = np.full((k * n_domains, k * n_domains), np.nan)
            np.fill_diagonal(
                vcov, domain_variances(design, z, domain_w, centres, scales, partition=partition)
            )
        else:
            vcov = domain_variances(
                design, z, domain_w, centres, scales, covariance=True, partition=partition
            )
    table = tidy_table(
        by_names, cells, columns.variables, columns.levels, estimate, vcov, counts, totals_w, level
    )
    return Estimates(table, vcov, degrees_of_freedom(design), tuple(by_names))


@small_pages()
def ratio(
    design: Design,
    numerator: Sequence[str] | str,
    denominator: Sequence[str] | str,
    *,
    by: Sequence[str] | str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    covariance: bool | None = None,
) -> Estimates:
    """Ratios of totals, numerator over denominator (R's `svyratio`), variable `num/den`.

    `covariance` as for `mean`: computed without `by`, not with `by` unless asked.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 4.0]})
    >>> ratio(Design.from_frame(frame), "a", "b").table["estimate"].to_list()
    [0.75]
    """
    nums = column_names(numerator, "numerator")
    dens = column_names(denominator, "denominator")
    by_names = column_names(by, "by", optional=True)
    columns = analysis_columns(design, nums + dens)
    if any(lv is not None for lv in columns.levels):
        raise SurveyError("ratios need numeric numerator and denominator columns")
    cells = domains(design, by_names)
    valid = valid_rows(design, columns, na_rm, cells.code >= 0)
    values = np.where(np.isnan(columns.values), 0.0, columns.values)
    pairs = [(i, len(nums) + j) for j in range(len(dens)) for i in range(len(nums))]
    partition = np.where(valid, cells.code, -1)
    masks = Domains(cells.keys, partition).masks
    n_domains = masks.shape[1]

    def point(weights: np.ndarray) -> np.ndarray:
        sums = domain_sums(weights, masks, values)
        ratios = [sums[:, i, :] / sums[:, j, :] for i, j in pairs]
        return np.stack(ratios, axis=1).reshape(weights.shape[1], len(pairs) * n_domains)

    estimate = point(design.weights[:, None])[0]
    domain_w = design.weights[:, None] * masks
    den_totals = domain_w.T @ values  # (D, K)
    r = estimate.reshape(len(pairs), n_domains)
    if covariance is None:
        covariance = not by_names
    if design.replicates is not None:
        vcov = design.replicates.variance(point(design.replicates.weights), estimate)
    else:
        # Each row lies in one domain: its residual y − r_d·x uses its own domain's ratio.
        member = np.maximum(partition, 0)
        residuals = np.stack(
            [values[:, i] - r[p, member] * values[:, j] for p, (i, j) in enumerate(pairs)], axis=1
        )
        residuals[partition < 0] = 0.0
        centres = np.zeros_like(r)
        scales = np.stack([den_totals[:, j] for _, j in pairs])
        if covariance:
            vcov = domain_variances(
                design, residuals, domain_w, centres, scales, covariance=True, partition=partition
            )
        else:
            vcov = np.full((estimate.shape[0], estimate.shape[0]), np.nan)
            variances = domain_variances(
                design, residuals, domain_w, centres, scales, overwrite=True, partition=partition
            )
            np.fill_diagonal(vcov, variances)
    labels = [f"{nums[i]}/{dens[j - len(nums)]}" for i, j in pairs]
    counts = masks.sum(axis=0)
    table = tidy_table(
        by_names,
        cells,
        labels,
        [None] * len(labels),
        estimate,
        vcov,
        counts,
        domain_w.sum(axis=0),
        level,
    )
    return Estimates(table, vcov, degrees_of_freedom(design), tuple(by_names))
