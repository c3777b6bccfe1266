"""Tests of R's `survey`: design-based t-test (`svyttest`) and tests of independence of two
categorical columns (`svychisq`: Rao–Scott F and χ², Wald and adjusted Wald).

Both return a `comparisons.Comparison`, the result shape of every comparison of the engine.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl
from scipy import stats

from observatoire.survey.comparisons import Comparison, compared, difference, tested
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.estimates import domains
from observatoire.survey.linearization import degrees_of_freedom, total_variance
from observatoire.survey.means import mean

Statistic = Literal["F", "Chisq", "Wald", "adjWald"]


def _missing(design: Design, columns: list[str], na_rm: bool) -> np.ndarray:
    """Rows of the domain with a missing value in any of `columns`; an error without na_rm."""
    missing = np.zeros(design.n, dtype=bool)
    for column in columns:
        if column not in design.data.columns:
            raise SurveyError("column not found in the data", column=column)
        gaps = design.data.get_column(column).is_null().to_numpy() & design.in_domain
        if gaps.any() and not na_rm:
            raise SurveyError(
                f"{int(gaps.sum())} row(s) of the domain have missing values; "
                "pass na_rm=True to leave them out",
                column=column,
            )
        missing |= gaps
    return missing


def ttest(
    design: Design,
    variable: str,
    by: str | None = None,
    *,
    na_rm: bool = False,
    level: float = 0.95,
) -> Comparison:
    """Design-based t-test (R's `svyttest`), labelled as R's estimate.

    With `by` (two levels): the mean in the second (sorted) level minus the first, "difference
    in mean" (`svyttest(y ~ g)`), df = design df − 1 on the rows left once missing values are
    out. Without: the mean against 0, "mean" (`svyttest(y ~ 1)`), df = design df − 1.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 2.0, 4.0, 6.0]})
    >>> ttest(Design.from_frame(frame), "y", "g").estimate.tolist()
    [3.5]
    """
    if by is None:
        means = mean(design, variable, na_rm=na_rm)
        if means.table.height != 1:
            raise SurveyError("a t-test needs a numeric variable", column=variable)
        df = degrees_of_freedom(design) - 1
        return compared(["mean"], means.estimate, means.vcov, df, level)
    missing = _missing(design, [variable, by], na_rm)
    answered = design.subset(~missing) if missing.any() else design
    levels = len(domains(answered, by).keys)
    if levels != 2:
        raise SurveyError(f"a t-test needs a by column with two levels, not {levels}", column=by)
    means = mean(answered, variable, by=by, covariance=True)
    if means.table.height != 2:
        raise SurveyError("a t-test needs a numeric variable", column=variable)
    first, second = means.labels
    df = degrees_of_freedom(answered) - 1
    result = difference(means, first, second, level=level, df=df)
    return Comparison(
        result.table.with_columns(label=pl.lit("difference in mean")), result.vcov, level
    )


def _levels(design: Design, column: str) -> tuple[np.ndarray, int]:
    if column not in design.data.columns:
        raise SurveyError("column not found in the data", column=column)
    series = design.data.get_column(column)
    codes = series.rank("dense").fill_null(0).to_numpy().astype(np.int64) - 1
    present = design.in_domain & (codes >= 0)
    levels = np.unique(codes[present])
    remap = np.full(int(codes.max()) + 2, -1)
    remap[levels] = np.arange(levels.shape[0])
    return np.where(codes >= 0, remap[codes], -1), levels.shape[0]


def chisq(
    design: Design,
    row: str,
    col: str,
    *,
    statistic: Statistic = "F",
    na_rm: bool = False,
) -> Comparison:
    """Test of independence of two categorical columns (R's `svychisq`), labelled `row:col`.

    "F": Rao–Scott second-order correction of Pearson's X² as an F (df, df_denominator);
    "Chisq": X² with the first-order correction (statistic reported unscaled, as R); "Wald" and
    "adjWald": design-based Wald tests of the interaction, as F. A missing value in either
    column is an error unless `na_rm` (R's default na.rm=TRUE): the rows then leave the table.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"a": ["x", "x", "y", "y"] * 5, "b": ["u", "v", "u", "u"] * 5})
    >>> chisq(Design.from_frame(frame), "a", "b", statistic="Chisq").df.tolist()
    [1.0]
    """
    if statistic not in ("F", "Chisq", "Wald", "adjWald"):
        raise SurveyError(f"unknown statistic {statistic!r}; use F, Chisq, Wald or adjWald")
    _missing(design, [row, col], na_rm)
    label = f"{row}:{col}"
    r_codes, nr = _levels(design, row)
    c_codes, nc = _levels(design, col)
    if nr < 2 or nc < 2:
        raise SurveyError("a test of independence needs two levels or more in each column")
    complete = design.in_domain & (r_codes >= 0) & (c_codes >= 0)
    present = np.ones(design.n, dtype=bool) if design.keeps_rows else design.in_domain
    rows_in = int(present.sum())
    if design.replicates is not None:
        nu = degrees_of_freedom(design)
    else:
        psus = np.unique(design.clusters[0][present]).shape[0]
        nu = psus - np.unique(design.strata[present]).shape[0]
    cell = np.where(complete, r_codes + nr * c_codes, 0)  # R's interaction: rows fastest
    mm = np.zeros((design.n, nr * nc))
    mm[np.flatnonzero(complete), cell[complete]] = 1.0
    w = design.weights * complete
    if statistic in ("Wald", "adjWald"):
        return _wald(design, mm, w, nr, nc, nu, statistic, label)
    total_w = w.sum()
    p = w @ mm / total_w
    if design.replicates is not None:
        reps = design.replicates.weights * complete[:, None]
        variance = design.replicates.variance((reps.T @ mm) / reps.sum(axis=0)[:, None], p)
    else:
        variance = total_variance(design, w[:, None] * (mm - p) / total_w, covariance=True)
    table = (p * rows_in).reshape(nc, nr).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    pearson = float(((table - expected) ** 2 / expected).sum())
    grid_rows = np.tile(np.arange(nr), nc)
    grid_cols = np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(nr * nc)]
        + [(grid_rows == i).astype(float) for i in range(1, nr)]
        + [(grid_cols == j).astype(float) for j in range(1, nc)]
    )
    interactions = np.column_stack(
        [
            ((grid_rows == i) & (grid_cols == j)).astype(float)
            for j in range(1, nc)
            for i in range(1, nr)
        ]
    )
    coef = np.linalg.lstsq(main, interactions, rcond=None)[0]
    contrast = interactions - main @ coef
    inverse_p = np.where(p == 0, 0.0, 1 / np.where(p == 0, 1.0, p))
    denominator = contrast.T @ (np.diag(inverse_p) / rows_in) @ contrast
    numerator = contrast.T @ np.diag(inverse_p) @ variance @ np.diag(inverse_p) @ contrast
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    if statistic == "F":
        d0 = trace**2 / float(np.trace(delta @ delta))
        value = pearson / trace
        return tested(label, value, d0, d0 * nu, float(stats.f.sf(value, d0, d0 * nu)), "F")
    df = delta.shape[0]
    p_value = float(stats.chi2.sf(pearson / (trace / df), df))
    return tested(label, pearson, df, None, p_value, "Chisq")


def _wald(
    design: Design,
    mm: np.ndarray,
    w: np.ndarray,
    nr: int,
    nc: int,
    nu: int,
    statistic: Statistic,
    label: str,
) -> Comparison:
    """R's Wald test on cell totals minus their expected value under independence."""
    margins_r = np.stack([mm[:, [i + nr * j for j in range(nc)]].sum(axis=1) for i in range(nr)], 1)
    margins_c = np.stack([mm[:, [i + nr * j for i in range(nr)]].sum(axis=1) for j in range(nc)], 1)
    x = np.hstack([mm, margins_r, margins_c, np.ones((design.n, 1))]) * (w > 0)[:, None]
    cells = w @ x
    if design.replicates is not None:
        reps = design.replicates.weights * (w > 0)[:, None]
        variance = design.replicates.variance(reps.T @ x, cells)
    else:
        variance = total_variance(design, w[:, None] * x, covariance=True)
    grand = cells[-1]
    row_totals = cells[nr * nc : nr * nc + nr]
    col_totals = cells[nr * nc + nr : nr * nc + nr + nc]
    grid_rows = np.tile(np.arange(nr), nc)
    grid_cols = np.repeat(np.arange(nc), nr)
    jacobian = np.hstack(
        [
            np.eye(nr * nc),
            -(grid_rows[:, None] == np.arange(nr)).astype(float)
            * col_totals[grid_cols][:, None]
            / grand,
            -(grid_cols[:, None] == np.arange(nc)).astype(float)
            * row_totals[grid_rows][:, None]
            / grand,
            (row_totals[grid_rows] * col_totals[grid_cols] / grand**2)[:, None],
        ]
    )
    y = cells[: nr * nc] - row_totals[grid_rows] * col_totals[grid_cols] / grand
    v = jacobian @ variance @ jacobian.T
    use = (grid_rows > 0) & (grid_cols > 0)
    wald = float(y[use] @ np.linalg.solve(v[np.ix_(use, use)], y[use]))
    numdf = (nr - 1) * (nc - 1)
    denominator = nu if statistic == "Wald" else nu - numdf + 1
    value = wald / numdf if statistic == "Wald" else wald * denominator / (numdf * nu)
    p_value = float(stats.f.sf(value, numdf, denominator))
    return tested(label, value, numdf, denominator, p_value, statistic)
