"""Design-based estimators: means, totals, proportions, ratios, quantiles, proportion intervals.

Every estimator returns `Estimates`: a tidy table (one row per domain × variable × level) with
the estimate, its standard error, a confidence interval, the unweighted and weighted bases, and
the covariance matrix of the estimates. Domains follow R's `svyby`/`subset`: a domain never
drops rows from the design, it zeroes their contribution, so PSUs without domain rows still count.

Variances use linearisation (`linearization.total_variance`) on the design, or the replicate
weights when the design has them. Conventions (labels, level order, intervals) follow R's
`survey` 4.1.1: text columns give one estimate per level in sorted order, `by` tables come with
the first `by` column varying fastest, intervals of means, totals and ratios use the normal
quantile, those of quantiles and proportions Student's t on the design degrees of freedom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy import special, stats

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.linearization import (
    degrees_of_freedom,
    domain_variances,
    total_variance,
)

_FACTOR_TYPES = (pl.String, pl.Categorical, pl.Enum, pl.Boolean)


def format_value(value: Any) -> str:
    """A value as R prints it in labels: `1` not `1.0`, `TRUE`/`FALSE` for booleans."""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | np.floating):
        return f"{float(value):.15g}"
    return str(value)


@dataclass(frozen=True)
class Estimates:
    """Tidy estimates with their covariance matrix (rows of `table` in `vcov` order).

    `table` columns: the `by` columns, variable, level (null for a numeric variable), [quantile],
    estimate, se, ci_low, ci_high, n (unweighted base), weighted_n, [deff].
    """

    table: pl.DataFrame
    vcov: np.ndarray
    df: int
    by: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        """R's coefficient names: `api00`, `stypeE`, `E.No:api00`, `api00.0.25`, `a/b`."""
        names = [
            str(variable) + ("" if level is None else str(level))
            for variable, level in zip(
                self.table["variable"].to_list(), self.table["level"].to_list(), strict=True
            )
        ]
        if "quantile" in self.table.columns:
            names = [
                f"{name}.{format_value(p)}"
                for name, p in zip(names, self.table["quantile"].to_list(), strict=True)
            ]
        if not self.by:
            return names
        groups = [
            ".".join(format_value(v) for v in row) for row in self.table.select(self.by).iter_rows()
        ]
        return [f"{group}:{name}" for group, name in zip(groups, names, strict=True)]

    @property
    def estimate(self) -> np.ndarray:
        """The estimates, in table order."""
        return self.table["estimate"].to_numpy()

    @property
    def se(self) -> np.ndarray:
        """The standard errors, in table order."""
        return self.table["se"].to_numpy()


@dataclass(frozen=True)
class _Columns:
    """Analysis variables as a numeric matrix: factor levels expanded to 0/1 columns."""

    values: np.ndarray  # (n, K), NaN where missing
    variables: list[str]  # per column
    levels: list[str | None]  # per column


@dataclass(frozen=True)
class Domains:
    """The domains of a `by` table: their keys (values of the `by` columns) in R's svyby order
    and, per row, the domain it belongs to (-1: none, e.g. outside the design's domain)."""

    keys: list[tuple[Any, ...]]
    code: np.ndarray

    @property
    def masks(self) -> np.ndarray:
        """(n, D) membership matrix."""
        return np.asarray(self.code[:, None] == np.arange(len(self.keys)))


def _factor_levels(series: pl.Series) -> list[Any]:
    """Levels in R's order: an Enum's declared order, else sorted (text in byte order)."""
    if isinstance(series.dtype, pl.Enum):
        return list(series.dtype.categories.to_list())
    if isinstance(series.dtype, pl.Categorical):
        series = series.cast(pl.String)
    return series.drop_nulls().unique().sort().to_list()


def _columns(design: Design, variables: Sequence[str]) -> _Columns:
    """One column per numeric variable, one 0/1 column per level of a text one (NaN if missing).

    Built by one Polars selection (parallel) copied once into a row-major NumPy array.
    """
    expressions: list[pl.Expr] = []
    names: list[str] = []
    levels: list[str | None] = []
    for name in variables:
        if name not in design.data.columns:
            raise SurveyError("variable not found in the data", column=name)
        series = design.data.get_column(name)
        if series.dtype.is_numeric():
            expressions.append(pl.col(name).cast(pl.Float64).alias(f"{len(expressions)}"))
            names.append(name)
            levels.append(None)
        elif isinstance(series.dtype, _FACTOR_TYPES):
            text = pl.col(name) if series.dtype == pl.Boolean else pl.col(name).cast(pl.String)
            for value in _factor_levels(series):
                expressions.append((text == value).cast(pl.Float64).alias(f"{len(expressions)}"))
                names.append(name)
                levels.append(format_value(value))
        else:
            raise SurveyError(f"cannot estimate a {series.dtype} variable", column=name)
    matrix = design.data.select(expressions).to_numpy(order="c", writable=True)
    return _Columns(np.asarray(matrix, dtype=np.float64), names, levels)


def _valid_rows(
    design: Design, columns: _Columns, na_rm: bool, domain: np.ndarray | None = None
) -> np.ndarray:
    """Rows usable for the estimate; missing values in the domain are an error without na_rm."""
    missing = np.isnan(columns.values).any(axis=1)
    scope = design.in_domain if domain is None else domain
    if not na_rm:
        bad = missing & scope
        if bad.any():
            first = np.isnan(columns.values[bad]).any(axis=0).argmax()
            name = columns.variables[int(first)]
            raise SurveyError(
                f"{int(bad.sum())} row(s) of the domain have missing values; "
                "pass na_rm=True to leave them out",
                column=name,
            )
    return ~missing


def domains(design: Design, by: Sequence[str] | str | None) -> Domains:
    """Domains in R's `svyby` order: sorted levels, the first `by` column varying fastest;
    combinations without a row of the design's domain are left out, as rows missing a `by` value.
    """
    if not by:
        return Domains([()], np.where(design.in_domain, 0, -1))
    names = [by] if isinstance(by, str) else list(by)
    for name in names:
        if name not in design.data.columns:
            raise SurveyError("by column not found in the data", column=name)
    frame = (
        design.data.select(names)
        .with_row_index("__row")
        .filter(pl.Series(design.in_domain))
        .drop_nulls(names)
    )
    order = [
        pl.col(name).cast(pl.String)
        if isinstance(design.data.schema[name], pl.Categorical)
        else pl.col(name)
        for name in reversed(names)
    ]
    keys = frame.select(names).unique().sort(order).with_row_index("__code")
    coded = frame.join(keys, on=names, how="left")
    code = np.full(design.n, -1, dtype=np.int64)
    code[coded["__row"].to_numpy()] = coded["__code"].to_numpy()
    return Domains([tuple(row) for row in keys.select(names).iter_rows()], code)


def _normal_interval(
    estimate: np.ndarray, se: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    z = stats.norm.ppf((1 + level) / 2)
    return estimate - z * se, estimate + z * se


def _table(
    by: Sequence[str],
    cells: Domains,
    variables: list[str],
    levels: list[str | None],
    estimate: np.ndarray,
    vcov: np.ndarray,
    n: np.ndarray,
    weighted_n: np.ndarray,
    level: float,
    deff: np.ndarray | None = None,
) -> pl.DataFrame:
    """Rows variable-major then domain (R's svyby order); arrays are in that order."""
    n_domains = len(cells.keys)
    se = np.sqrt(np.diag(vcov))
    low, high = _normal_interval(estimate, se, level)
    columns: dict[str, Any] = {}
    for position, name in enumerate(by):
        columns[name] = [cells.keys[d][position] for _ in variables for d in range(n_domains)]
    columns["variable"] = [v for v in variables for _ in range(n_domains)]
    columns["level"] = pl.Series([lv for lv in levels for _ in range(n_domains)], dtype=pl.String)
    columns.update(
        estimate=estimate,
        se=se,
        ci_low=low,
        ci_high=high,
        n=np.tile(n, len(variables)).astype(np.int64),
        weighted_n=np.tile(weighted_n, len(variables)),
    )
    if deff is not None:
        columns["deff"] = deff
    return pl.DataFrame(columns, strict=False)


def _domain_sums(weights: np.ndarray, masks: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weighted sums (m, K, D) of the columns of y in each domain, for m weight columns."""
    if weights.shape[1] == 1:  # one matrix product reads y once
        return np.asarray(((weights * masks).T @ y).T[None])
    return np.stack([(weights * masks[:, [d]]).T @ y for d in range(masks.shape[1])], axis=2)


def _linear(
    design: Design,
    variables: Sequence[str] | str,
    by: Sequence[str] | str | None,
    na_rm: bool,
    level: float,
    deff: bool | str,
    covariance: bool | None,
    statistic: str,
) -> Estimates:
    """Means and totals (with proportions and counts of factor levels) by domain."""
    names = [variables] if isinstance(variables, str) else list(variables)
    by_names = [by] if isinstance(by, str) else list(by or [])
    columns = _columns(design, names)
    cells = domains(design, by_names)
    valid = _valid_rows(design, columns, na_rm, cells.code >= 0)
    y = columns.values
    if not valid.all():  # rows with a missing value leave the estimate (na_rm)
        y[~valid] = 0.0
    partition = np.where(valid, cells.code, -1)
    masks = Domains(cells.keys, partition).masks  # (n, D)
    k, n_domains = y.shape[1], masks.shape[1]

    def point(weights: np.ndarray) -> np.ndarray:
        """Estimates (m, K*D) for m weight columns, variable-major."""
        sums = _domain_sums(weights, masks, y)
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
            np.diag(vcov), y, domain_w, counts, totals_w, centre, statistic, str(deff)
        )
    table = _table(
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
    means_or_totals: np.ndarray,
    statistic: str,
    kind: str,
) -> np.ndarray:
    """R's deff: design variance over the variance under simple random sampling.

    `kind` "True" compares with sampling without replacement, "replace" with replacement.
    """
    means = np.einsum("nd,nk->kd", domain_w, y) / totals_w  # (K, D)
    squares = np.einsum("nd,nk->kd", domain_w, y * y) / totals_w
    element_var = (squares - means**2) * counts / (counts - 1)  # svyvar, n/(n-1)
    if statistic == "mean":
        srs = (
            element_var / counts
            if kind == "replace"
            else (element_var * (totals_w - counts) / (totals_w * counts))
        )
    else:
        srs = element_var * totals_w**2 / counts
        if kind != "replace":
            srs = srs * (totals_w - counts) / totals_w
    return np.asarray(variance / srs.reshape(-1))


def mean(
    design: Design,
    variables: Sequence[str] | str,
    *,
    by: Sequence[str] | str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    deff: bool | str = False,
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


def total(
    design: Design,
    variables: Sequence[str] | str,
    *,
    by: Sequence[str] | str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    deff: bool | str = False,
    covariance: bool | None = None,
) -> Estimates:
    """Weighted totals; a text column gives the estimated count of each level (`svytotal`).

    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "w": [1.0, 1.0, 2.0, 2.0]})
    >>> total(Design.from_frame(frame, weights="w"), "y").table["estimate"].to_list()
    [17.0]
    """
    return _linear(design, variables, by, na_rm, level, deff, covariance, "total")


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
    names = [variables] if isinstance(variables, str) else list(variables)
    by_names = [by] if isinstance(by, str) else list(by or [])
    columns = _columns(design, names)
    if any(level_ is not None for level_ in columns.levels):
        raise SurveyError("variances need numeric columns", column=columns.variables[0])
    cells = domains(design, by_names)
    valid = _valid_rows(design, columns, na_rm, cells.code >= 0)
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
    table = _table(
        by_names, cells, columns.variables, columns.levels, estimate, vcov, counts, totals_w, level
    )
    return Estimates(table, vcov, degrees_of_freedom(design), tuple(by_names))


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
    nums = [numerator] if isinstance(numerator, str) else list(numerator)
    dens = [denominator] if isinstance(denominator, str) else list(denominator)
    by_names = [by] if isinstance(by, str) else list(by or [])
    columns = _columns(design, nums + dens)
    if any(lv is not None for lv in columns.levels):
        raise SurveyError("ratios need numeric numerator and denominator columns")
    cells = domains(design, by_names)
    valid = _valid_rows(design, columns, na_rm, cells.code >= 0)
    values = np.where(np.isnan(columns.values), 0.0, columns.values)
    pairs = [(i, len(nums) + j) for j in range(len(dens)) for i in range(len(nums))]
    partition = np.where(valid, cells.code, -1)
    masks = Domains(cells.keys, partition).masks
    n_domains = masks.shape[1]

    def point(weights: np.ndarray) -> np.ndarray:
        sums = _domain_sums(weights, masks, values)
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
    table = _table(
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


def quantile(
    design: Design,
    variable: str,
    probs: Sequence[float] | float,
    *,
    by: Sequence[str] | str | None = None,
    qrule: str = "math",
    interval_type: str = "mean",
    na_rm: bool = False,
    level: float = 0.95,
) -> Estimates:
    """Quantiles with Woodruff intervals (R's `svyquantile`, default rule "math").

    The interval is that of the proportion below the quantile (`interval_type` "mean", "beta",
    "xlogit" or "asin", t on the design degrees of freedom), mapped back through the rule;
    se = interval width / (2 t). Rules: math, school, shahvaish, hf1 to hf9. On a replicate
    design the proportion's SE comes from the replicates, as R's.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [float(v) for v in range(1, 21)]})
    >>> quantile(Design.from_frame(frame), "y", 0.5).table["estimate"].to_list()
    [10.0]
    """
    if qrule not in QRULES:
        raise SurveyError(f"unknown qrule {qrule!r}; use one of {', '.join(QRULES)}")
    if interval_type == "Wald":
        interval_type = "mean"
    if interval_type not in ("mean", "beta", "xlogit", "asin"):
        raise SurveyError(f"unknown interval_type {interval_type!r}; use mean, beta, xlogit, asin")
    ps = [probs] if isinstance(probs, float | int) else list(probs)
    by_names = [by] if isinstance(by, str) else list(by or [])
    columns = _columns(design, [variable])
    if columns.levels[0] is not None:
        raise SurveyError("quantiles need a numeric column", column=variable)
    cells = domains(design, by_names)
    valid = _valid_rows(design, columns, na_rm, cells.code >= 0)
    x = np.where(valid, columns.values[:, 0], 0.0)
    rows: list[dict[str, Any]] = []
    variances = []
    for d, key in enumerate(cells.keys):
        domain = design.subset((cells.code == d) & valid)
        df = degrees_of_freedom(domain)
        t = stats.t.ppf((1 + level) / 2, df)
        w = domain.domain_weights
        for p in ps:
            q = quantile_rule(qrule, x, w, p)
            low, high = _woodruff(domain, x, q, qrule, interval_type, level, df)
            se = (high - low) / (2 * t)
            variances.append(se**2)
            row = dict(zip(by_names, key, strict=True))
            row.update(
                variable=variable,
                level=None,
                quantile=float(p),
                estimate=q,
                se=se,
                ci_low=low,
                ci_high=high,
                n=int((w != 0).sum()),
                weighted_n=float(w.sum()),
            )
            rows.append(row)
    table = pl.DataFrame(rows, schema_overrides={"level": pl.String})
    vcov = np.full((len(rows), len(rows)), np.nan)
    np.fill_diagonal(vcov, variances)
    return Estimates(table, vcov, degrees_of_freedom(design), tuple(by_names))


def _woodruff(
    design: Design, x: np.ndarray, q: float, qrule: str, method: str, level: float, df: int
) -> tuple[float, float]:
    """R's woodruffCI: interval of P(X <= q) mapped back through the quantile rule."""
    w = design.domain_weights
    below = (x <= q).astype(np.float64)
    p, se = _proportion(design, below)
    low, high = proportion_interval(p, se, method, level, df, n_rows=_rows(design), design_df=df)
    w_q = np.where(design.in_domain, w, 0.0)
    lower = np.nan if np.isnan(low) or low < 0 else quantile_rule(qrule, x, w_q, low)
    upper = np.nan if np.isnan(high) or high > 1 else quantile_rule(qrule, x, w_q, high)
    return lower, upper


def _rows(design: Design) -> int:
    """R's nrow(design): the rows R keeps (a subset of an uncalibrated design drops rows)."""
    return design.n if design.keeps_rows else int(design.in_domain.sum())


def _proportion(design: Design, indicator: np.ndarray) -> tuple[float, float]:
    """Weighted mean of a 0/1 vector in the design's domain, with its linearised SE."""
    w = design.domain_weights
    total_w = w.sum()
    p = float(w @ indicator / total_w)
    if design.replicates is not None:
        reps = design.replicates.weights * design.in_domain[:, None]
        thetas = (reps.T @ indicator) / reps.sum(axis=0)
        var = design.replicates.variance(thetas[:, None], np.array([p]))[0, 0]
    else:
        var = float(total_variance(design, w * (indicator - p) / total_w))
    return p, float(np.sqrt(var))


def proportion_interval(
    p: float,
    se: float,
    method: str,
    level: float,
    df: float,
    *,
    n_rows: int,
    design_df: float,
) -> tuple[float, float]:
    """Interval for a proportion from its estimate and SE (R's svyciprop methods but
    "likelihood", which needs the whole design: see `ciprop`).

    With no sampling variance (se = 0: a census, a stratum-level proportion in a stratified
    design, p of 0 or 1) the interval is (p, p), or NaN where R's transformation is undefined
    (p of 0 or 1 for asin, xlogit and beta). R's beta interval at se = 0 and 0 < p < 1 is
    (0.5, 0.5) whatever p (its qbeta(., Inf, Inf)); the engine returns the limit (p, p).

    >>> proportion_interval(0.25, 0.0, "beta", 0.95, 10, n_rows=12, design_df=10)
    (0.25, 0.25)
    """
    alpha = 1 - level
    p64, se64 = np.float64(p), np.float64(se)
    t = stats.t.ppf(1 - alpha / 2, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "mean":
            return float(p64 - t * se64), float(p64 + t * se64)
        if method == "asin":
            centre, half = np.arcsin(np.sqrt(p64)), t * se64 / (2 * np.sqrt(p64 * (1 - p64)))
            return float(np.sin(centre - half) ** 2), float(np.sin(centre + half) ** 2)
        if method in ("xlogit", "logit"):
            centre, half = np.log(p64 / (1 - p64)), t * se64 / (p64 * (1 - p64))
            return float(special.expit(centre - half)), float(special.expit(centre + half))
    if method == "beta":
        if se == 0:
            return (float(p), float(p)) if 0 < p < 1 else (np.nan, np.nan)
        n_eff = p * (1 - p) / se**2
        n_eff *= (stats.t.ppf(alpha / 2, n_rows - 1) / stats.t.ppf(alpha / 2, design_df)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        return float(low), float(high)
    raise SurveyError(f"unknown proportion interval method {method!r}")


def ciprop(
    design: Design,
    variable: str,
    equals: Any,
    *,
    method: str = "logit",
    level: float = 0.95,
    na_rm: bool = False,
) -> Estimates:
    """Proportion of rows where `variable == equals`, with R's `svyciprop` interval.

    Methods: logit (default), likelihood, asin, beta, mean, xlogit; t quantiles on the design
    degrees of freedom. The SE is the linearised (or replicate) SE of the proportion. For logit
    and likelihood the estimate is, as in R, expit of the IRLS intercept of a quasibinomial
    model (the weighted proportion to about 1e-10). With
    `na_rm`, rows missing `variable` leave the domain (the degrees of freedom stay the
    design's, as in R).

    >>> import polars as pl
    >>> frame = pl.DataFrame({"a": ["y", "n", "y", "y"]})
    >>> ciprop(Design.from_frame(frame), "a", "y").table["estimate"].round(6).to_list()
    [0.75]
    """
    if variable not in design.data.columns:
        raise SurveyError("variable not found in the data", column=variable)
    series = design.data.get_column(variable)
    missing = series.is_null().to_numpy() & design.in_domain
    if missing.any() and not na_rm:
        raise SurveyError(
            f"{int(missing.sum())} row(s) of the domain have missing values; "
            "pass na_rm=True to leave them out",
            column=variable,
        )
    if isinstance(series.dtype, _FACTOR_TYPES) and not isinstance(series.dtype, pl.Boolean):
        hits = (series.cast(pl.String) == str(equals)).fill_null(False).to_numpy()
    else:
        hits = (series == equals).fill_null(False).to_numpy()
    indicator = hits.astype(np.float64)
    df, n_rows = degrees_of_freedom(design), _rows(design)
    answered = design.subset(~missing) if missing.any() else design
    p, se = _proportion(answered, indicator)
    if method == "likelihood" and p in (0.0, 1.0):
        raise SurveyError(
            f"the likelihood interval is undefined for a proportion of {p:g} (no row or every "
            "row of the domain has the value); use method='beta' or 'logit'",
            column=variable,
        )
    if method in ("logit", "likelihood"):
        # R fits a quasibinomial svyglm: the estimate is expit of its IRLS coefficient.
        kept = np.ones(design.n, dtype=bool) if design.keeps_rows else design.in_domain
        mean_weight = float(design.domain_weights[kept].mean())
        if answered.replicates is None:
            fit = _fit_intercept(answered, indicator, mean_weight)
            coef, coef_se = fit.coef, fit.se
        elif method == "logit":
            coef, coef_se = _replicate_logit(answered, indicator, mean_weight)
        else:
            raise SurveyError("the likelihood interval needs a linearisation design")
        p = float(1 / (1 + np.exp(-coef)))
        if method == "likelihood":
            low, high = _likelihood_interval(fit, level, df)
        else:
            half = stats.t.ppf((1 + level) / 2, df) * coef_se
            low, high = (float(1 / (1 + np.exp(-(coef + d)))) for d in (-half, half))
    elif method in ("asin", "beta", "mean", "xlogit"):
        low, high = proportion_interval(p, se, method, level, df, n_rows=n_rows, design_df=df)
    else:
        raise SurveyError(
            f"unknown method {method!r}; use logit, likelihood, asin, beta, mean or xlogit"
        )
    w = answered.domain_weights
    table = pl.DataFrame(
        {
            "variable": [variable],
            "level": [format_value(equals)],
            "estimate": [p],
            "se": [se],
            "ci_low": [low],
            "ci_high": [high],
            "n": [int((w != 0).sum())],
            "weighted_n": [float(w.sum())],
        }
    )
    return Estimates(table, np.array([[se**2]]), df)


QRULES = ("math", "school", "shahvaish", *(f"hf{i}" for i in range(1, 10)))


def quantile_rule(rule: str, x: np.ndarray, w: np.ndarray, p: float) -> float:
    """The p-quantile of x under weights w by one of R's `qrule_*` functions (zero weights out).

    >>> quantile_rule("math", np.array([3.0, 1.0, 2.0]), np.ones(3), 0.5)
    2.0
    """
    keep = w != 0
    x, w = x[keep], w[keep]
    if rule == "hf3":
        values, inverse = np.unique(x, return_inverse=True)
        x, w = values, np.bincount(inverse.reshape(-1), weights=w)
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    # R's cumsum and sum accumulate in long double: equal weights then hit p * total exactly.
    cumw = np.cumsum(w.astype(np.longdouble)).astype(np.float64)
    total_w = cumw[-1]
    if rule in ("math", "hf1", "school", "hf2", "hf3", "hf4"):
        hits = np.flatnonzero(cumw <= p * total_w)
        low = int(hits[-1]) if hits.size else 0
        up = low if low == x.shape[0] - 1 else low + 1
        w_low = p - cumw[low] / total_w
        w_up = cumw[up] / total_w - p
        if rule in ("math", "hf1"):
            return float(x[low] if w_low == 0 else x[up])
        if rule in ("school", "hf2"):
            return float((x[low] + x[up]) / 2 if w_low == 0 else x[up])
        if rule == "hf3":
            return float(x[low] if w_low == 0 and (low + 1) % 2 == 0 else x[up])
        gamma = w_low / (w_up + w_low)
        return float(x[low] * (1 - gamma) + x[up] * gamma)
    previous = np.concatenate([[0.0], cumw[:-1]])
    if rule == "shahvaish":
        # R: pk = (cumsum(w / mean(w)) + 0.5 - w / 2) / (n + 1), not monotone in general; approx()
        # sorts the points by pk, averages x over equal pk, and steps (f = 0, rule = 2).
        pk = (np.cumsum(w / w.mean()) + 0.5 - w / 2) / (x.shape[0] + 1)
        points, inverse = np.unique(pk, return_inverse=True)
        values = np.bincount(inverse, weights=x) / np.bincount(inverse)
        step = np.clip(np.searchsorted(points, p, side="right") - 1, 0, points.shape[0] - 1)
        return float(values[step])
    positions = {
        "hf5": lambda: (cumw - w / 2) / total_w,
        "hf6": lambda: cumw / (total_w + w[-1]),
        "hf7": lambda: previous / cumw[-2],
        "hf8": lambda: (previous / 3 + cumw * 2 / 3) / (total_w + w[-1] / 3),
        "hf9": lambda: (previous * 3 / 8 + cumw * 5 / 8) / (total_w + w[-1] / 4),
    }
    if rule not in positions:
        raise SurveyError(f"unknown qrule {rule!r}; use one of {', '.join(QRULES)}")
    return float(np.interp(p, positions[rule](), x))


def _fmm_spline(x: np.ndarray, y: np.ndarray, points: np.ndarray) -> np.ndarray:
    """R's `spline(method="fmm")`: cubic spline whose end cubics match the first and last four
    points (Forsythe, Malcolm & Moler), evaluated at `points`."""
    n = x.shape[0]
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        slope = (y[1] - y[0]) / (x[1] - x[0])
        return np.asarray(y[0] + slope * (points - x[0]))
    last = n - 1
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, last):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    b[0], b[last] = -d[0], -d[n - 2]
    c[0] = c[last] = 0.0
    if n > 3:
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        c[last] = c[n - 2] / (x[last] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
        c[last] = -c[last] * d[n - 2] * d[n - 2] / (x[last] - x[n - 4])
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] -= t * d[i - 1]
        c[i] -= t * c[i - 1]
    c[last] /= b[last]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[last] = (y[last] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[last])
    for i in range(last):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] = 3.0 * c[i]
    c[last] = 3.0 * c[last]
    d[last] = d[n - 2]
    at = np.clip(np.searchsorted(x, points, side="right") - 1, 0, last)
    dx = points - x[at]
    return np.asarray(y[at] + dx * (b[at] + dx * (c[at] + dx * d[at])))


@dataclass(frozen=True)
class _InterceptFit:
    """svyglm(y ~ 1, family=quasibinomial) as R fits it (IRLS, then design-based variance)."""

    prior: np.ndarray  # prior weights: sampling weights / their mean, 0 outside
    y: np.ndarray
    coef: float  # logit of the proportion, as IRLS leaves it
    se: float  # design-based SE of coef (sandwich, svy.varcoef)
    naive: float  # model-based (unscaled) variance of coef
    dispersion: float  # svyvar of the Pearson residuals
    n_rows: int  # rows in the model frame

    def deviance(self, eta: float) -> float:
        return _binomial_deviance(self.prior, self.y, 1 / (1 + np.exp(-eta)))


def _binomial_deviance(prior: np.ndarray, y: np.ndarray, mu: np.ndarray | float) -> float:
    """Binomial deviance of 0/1 outcomes with prior weights (R's binomial()$dev.resids)."""
    return float(-2 * (prior @ (y * np.log(mu) + (1 - y) * np.log(1 - mu))))


def _irls_intercept(
    prior: np.ndarray, y: np.ndarray, start: float | None = None
) -> tuple[float, np.ndarray, np.ndarray]:
    """R's glm.fit for a binomial intercept: same start (mustart, or `start`), iterations and
    stopping rule (deviance change below 1e-8). Returns the coefficient, the fitted mean and the
    working weights of the last iteration (those summary.glm uses)."""
    good = prior > 0
    if start is None:
        mu = (prior * y + 0.5) / (prior + 1)
        eta = np.log(mu / (1 - mu))
    else:
        eta = np.full(y.shape[0], start)
        mu = 1 / (1 + np.exp(-eta))
    deviance_old = _binomial_deviance(prior, y, mu)
    for _ in range(25):
        slope = mu * (1 - mu)  # mu.eta = variance for the logit link
        z = eta + (y - mu) / slope
        working = np.where(good, prior * slope, 0.0)
        coef = float(working @ z / working.sum())
        eta = np.full(y.shape[0], coef)
        mu = np.full(y.shape[0], 1 / (1 + np.exp(-coef)))
        deviance = _binomial_deviance(prior, y, mu)
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < 1e-8:
            break
        deviance_old = deviance
    return coef, mu, working


def _prior_weights(design: Design, mean_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """svyglm's prior weights (sampling weights over their mean) and the rows of its model."""
    rows = np.ones(design.n, dtype=bool) if design.keeps_rows else design.in_domain
    return np.where(rows, design.domain_weights / mean_weight, 0.0), rows


def _fit_intercept(design: Design, y: np.ndarray, mean_weight: float) -> _InterceptFit:
    """svyglm(y ~ 1, family=quasibinomial) on a linearisation design: IRLS, then the
    design-based variance of the coefficient (svy.varcoef) and the dispersion."""
    prior, rows = _prior_weights(design, mean_weight)
    w = design.domain_weights
    coef, mu, working = _irls_intercept(prior, y)
    naive = 1.0 / float(working.sum())
    residual = (y - mu) / (mu * (1 - mu))
    variance = float(total_variance(design, residual * working * naive))
    # R's residuals.svyglm(type="pearson") divides the prior weights by the sampling weights
    # over their mean in the design left after rows with a missing value went out: the
    # residuals are unweighted, up to the ratio of the two means.
    pearson = (y - mu) * np.sqrt(w[rows].mean() / mean_weight) / np.sqrt(mu * (1 - mu))
    n_obs = int((w[rows] != 0).sum())
    centre = float(w @ pearson / w.sum())
    dispersion = float(w @ ((pearson - centre) ** 2 * n_obs / (n_obs - 1)) / w.sum())
    return _InterceptFit(
        prior, y, coef, float(np.sqrt(variance)), naive, dispersion, int(rows.sum())
    )


def _replicate_logit(design: Design, y: np.ndarray, mean_weight: float) -> tuple[float, float]:
    """svyglm on a replicate design: the IRLS coefficient and its replicate SE, every replicate
    refitted by IRLS from the full coefficient with weights scaled to sum 1 (as R's
    svyglm.svyrep.design; one fit per replicate, each vectorised over rows)."""
    assert design.replicates is not None
    prior, _ = _prior_weights(design, mean_weight)
    coef = _irls_intercept(prior, y)[0]
    reps = design.replicates.weights * design.in_domain[:, None]
    thetas = np.array([_irls_intercept(r / r.sum(), y, start=coef)[0] for r in reps.T])
    variance = design.replicates.variance(thetas[:, None], np.array([coef]))[0, 0]
    return coef, float(np.sqrt(variance))


def upper_f_quantile(alpha: float, df1: float, df2: float) -> float:
    """R's qf(alpha, df1, df2, lower.tail=FALSE), accurate for a tiny alpha where SciPy's
    f.isf works from 1 - alpha and overflows (1e-21 and below): R's own formula, through the
    upper tail of the beta distribution or, for large df, the chi-square.

    >>> round(upper_f_quantile(1e-21, 1, 13000), 6)
    92.044893
    """
    if df1 <= df2 and df2 > 4e5:
        return float(stats.chi2.isf(alpha, df1) / df1)
    if df1 > 4e5:
        return float(df2 / stats.chi2.ppf(alpha, df2))
    return float((1 / special.betaincinv(df2 / 2, df1 / 2, alpha) - 1) * (df2 / df1))


def _likelihood_interval(fit: _InterceptFit, level: float, df: int) -> tuple[float, float]:
    """R's svyciprop(method="likelihood"): the Rao–Scott-scaled profile likelihood interval of
    the intercept (survey's MASSprofile_glm + confint_profile, spline included)."""
    if fit.se == 0:  # no sampling variance: the interval shrinks to the estimate
        p = float(special.expit(fit.coef))
        return p, p
    lam = fit.se**2 / fit.naive
    alpha = stats.norm.cdf(stats.t.ppf((1 - level) / 2, df) * np.sqrt(lam)) / 2
    z_max = np.sqrt(upper_f_quantile(alpha, 1, fit.n_rows - 1))
    step_size = z_max / 5
    original = fit.deviance(fit.coef)
    z_values, params = [0.0], [fit.coef]
    for sign in (-1, 1):
        step, z = 0, 0.0
        while (step := step + 1) < 10 and abs(z) < z_max:
            b = fit.coef + sign * step * step_size * fit.se
            z = sign * np.sqrt(max((fit.deviance(b) - original) / fit.dispersion, 0.0))
            z_values.append(float(z))
            params.append(b)
    order = np.argsort(z_values, kind="stable")
    x = np.asarray(params)[order]
    z_sorted = np.asarray(z_values)[order]
    grid = np.linspace(x.min(), x.max(), 3 * x.shape[0])
    z_grid = _fmm_spline(x, z_sorted, grid)
    cut = stats.norm.ppf(2 * alpha)
    ends = np.interp([cut, -cut], z_grid, grid, left=np.nan, right=np.nan)
    low, high = 1 / (1 + np.exp(-ends))
    return float(low), float(high)
