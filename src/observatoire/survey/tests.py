"""Comparisons and tests: differences with their SE and p-value, t-test, Rao–Scott chi-square.

- `difference(estimates, i, j)`: two estimates of one call (two domains of a `by` table, two
  levels), covariance-aware through `Estimates.vcov`;
- `independent_difference(a, i, b, j)`: estimates from two independent samples (two waves);
- `domain_vs_rest(design, variables, domain)`: every mean or proportion in a domain against the
  rest of the sample, from the contrast's own influence values (no covariance matrix needed);
- `ttest(design, variable, by)`: R's `svyttest(y ~ g)`;
- `chisq(design, row, col, statistic)`: R's `svychisq` (F, Chisq, Wald, adjWald).

p-values use Student's t on the design degrees of freedom (the sum of both designs' for
independent samples).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.estimators import Estimates, domains, mean
from observatoire.survey.linearization import degrees_of_freedom, total_variance

_INSIDE = "__inside_domain"


@dataclass(frozen=True)
class Difference:
    """A difference of two estimates with its standard error, t statistic and p-value."""

    estimate: float
    se: float
    statistic: float
    df: float
    p_value: float
    ci_low: float
    ci_high: float


def _difference(estimate: float, variance: float, df: float, level: float) -> Difference:
    se = float(np.sqrt(variance))
    statistic = estimate / se if se > 0 else np.nan
    t = stats.t.ppf((1 + level) / 2, df)
    p_value = float(2 * stats.t.sf(abs(statistic), df)) if se > 0 else np.nan
    return Difference(estimate, se, statistic, df, p_value, estimate - t * se, estimate + t * se)


def difference(estimates: Estimates, first: int, second: int, *, level: float = 0.95) -> Difference:
    """Estimate `second` minus estimate `first` (row numbers of `estimates.table`).

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 2.0, 4.0, 6.0]})
    >>> by_group = mean(Design.from_frame(frame), "y", by="g", covariance=True)
    >>> difference(by_group, 0, 1).estimate
    3.5
    """
    v = estimates.vcov
    if np.isnan(v[first, second]):
        raise SurveyError(
            "these estimates were computed without their covariance: pass covariance=True"
        )
    value = float(estimates.estimate[second] - estimates.estimate[first])
    variance = v[first, first] + v[second, second] - 2 * v[first, second]
    return _difference(value, float(variance), estimates.df, level)


def independent_difference(
    first: Estimates, i: int, second: Estimates, j: int, *, level: float = 0.95
) -> Difference:
    """Estimate j of `second` minus estimate i of `first`, two independent samples (waves).

    >>> import polars as pl
    >>> wave1 = mean(Design.from_frame(pl.DataFrame({"y": [1.0, 2.0, 3.0]})), "y")
    >>> wave2 = mean(Design.from_frame(pl.DataFrame({"y": [2.0, 3.0, 4.0, 5.0]})), "y")
    >>> round(independent_difference(wave1, 0, wave2, 0).estimate, 2)
    1.5
    """
    value = float(second.estimate[j] - first.estimate[i])
    variance = float(first.vcov[i, i] + second.vcov[j, j])
    return _difference(value, variance, first.df + second.df, level)


def domain_vs_rest(
    design: Design,
    variables: list[str] | str,
    domain: pl.Expr | np.ndarray,
    *,
    na_rm: bool = False,
    level: float = 0.95,
) -> pl.DataFrame:
    """Means (proportions for text columns) in `domain` minus those in the rest of the sample.

    Returns variable, level, estimate (domain − rest), se, statistic, df, p_value.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b", "b"], "y": [1.0, 3.0, 4.0, 6.0, 8.0]})
    >>> domain_vs_rest(Design.from_frame(frame), "y", pl.col("g") == "b")["estimate"].to_list()
    [4.0]
    """
    inside = design.subset(domain).in_domain
    if not inside.any() or not (design.in_domain & ~inside).any():
        raise SurveyError("the domain and the rest of the sample must both hold rows")
    flagged = replace(design, data=design.data.with_columns(pl.Series(_INSIDE, inside)))
    both = mean(flagged, variables, by=_INSIDE, na_rm=na_rm, covariance=True, level=level)
    table = both.table
    rows = []
    for k in range(0, table.height, 2):  # per variable and level: rest (False), then inside
        result = difference(both, k, k + 1, level=level)
        rows.append(
            {
                "variable": table["variable"][k],
                "level": table["level"][k],
                "estimate": result.estimate,
                "se": result.se,
                "statistic": result.statistic,
                "df": result.df,
                "p_value": result.p_value,
            }
        )
    return pl.DataFrame(rows, schema_overrides={"level": pl.String})


@dataclass(frozen=True)
class TTest:
    """R's svyttest: difference of means (second level minus first), t and p-value."""

    estimate: float
    se: float
    statistic: float
    df: int
    p_value: float
    ci_low: float
    ci_high: float


def ttest(design: Design, variable: str, by: str, *, level: float = 0.95) -> TTest:
    """Design-based two-sample t-test of `variable` between the two levels of `by`.

    The estimate is the mean in the second (sorted) level minus the first, df = design df − 1.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 2.0, 4.0, 6.0]})
    >>> ttest(Design.from_frame(frame), "y", "g").estimate
    3.5
    """
    levels = len(domains(design, by).keys)
    if levels != 2:
        raise SurveyError(f"a t-test needs a by column with two levels, not {levels}", column=by)
    means = mean(design, variable, by=by, covariance=True)
    df = degrees_of_freedom(design) - 1
    diff = difference(means, 0, 1, level=level)
    t = stats.t.ppf((1 + level) / 2, df)
    statistic = diff.estimate / diff.se
    return TTest(
        estimate=diff.estimate,
        se=diff.se,
        statistic=statistic,
        df=df,
        p_value=float(2 * stats.t.sf(abs(statistic), df)),
        ci_low=diff.estimate - t * diff.se,
        ci_high=diff.estimate + t * diff.se,
    )


@dataclass(frozen=True)
class ChiSquare:
    """A test of independence: statistic, df (two numbers for an F) and p-value."""

    statistic: float
    df: Any
    p_value: float


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


def chisq(design: Design, row: str, col: str, *, statistic: str = "F") -> ChiSquare:
    """Test of independence of two categorical columns (R's `svychisq`).

    "F": Rao–Scott second-order correction of Pearson's X² as an F; "Chisq": X² with the
    first-order correction (statistic reported unscaled, as R); "Wald" and "adjWald": design-based
    Wald tests of the interaction. Rows with a missing value in either column are left out.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"a": ["x", "x", "y", "y"] * 5, "b": ["u", "v", "u", "u"] * 5})
    >>> chisq(Design.from_frame(frame), "a", "b", statistic="Chisq").df
    1
    """
    if statistic not in ("F", "Chisq", "Wald", "adjWald"):
        raise SurveyError(f"unknown statistic {statistic!r}; use F, Chisq, Wald or adjWald")
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
        return _wald(design, mm, w, nr, nc, nu, statistic)
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
        return ChiSquare(value, [d0, d0 * nu], float(stats.f.sf(value, d0, d0 * nu)))
    df = delta.shape[0]
    return ChiSquare(pearson, df, float(stats.chi2.sf(pearson / (trace / df), df)))


def _wald(
    design: Design, mm: np.ndarray, w: np.ndarray, nr: int, nc: int, nu: int, statistic: str
) -> ChiSquare:
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
    if statistic == "Wald":
        value, df = wald / numdf, [numdf, nu]
    else:
        denomdf = nu - numdf + 1
        value, df = wald * denomdf / (numdf * nu), [numdf, denomdf]
    return ChiSquare(value, df, float(stats.f.sf(value, df[0], df[1])))
