"""What every estimator shares: the tidy `Estimates` result, analysis columns and domains.

Every estimator returns `Estimates`: a tidy table (one row per domain × variable × level) with
the estimate, its standard error, a confidence interval, the unweighted and weighted bases, and
the covariance matrix of the estimates. Domains follow R's `svyby`/`subset`: a domain never
drops rows from the design, it zeroes their contribution, so PSUs without domain rows still count.
Conventions follow R's `survey` 4.1.1: text columns give one estimate per level in sorted order,
`by` tables come with the first `by` column varying fastest, rows are variable-major.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError, column_names, confidence_level, number

FACTOR_TYPES = (pl.String, pl.Categorical, pl.Enum, pl.Boolean)


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

    def confint(self, level: float = 0.95, *, df: float | None = None) -> Estimates:
        """The estimates with Student's t intervals on `df` degrees of freedom (default: the
        design's), R's `confint(x, level, df=degf(design))`; `df=math.inf`: the normal quantile.

        >>> import polars as pl
        >>> from observatoire.survey import Design, mean
        >>> means = mean(Design.from_frame(pl.DataFrame({"y": [1.0, 2.0, 3.0, 6.0]})), "y")
        >>> [round(v, 4) for v in means.confint().table.row(0)[-4:-2]]
        [-0.4374, 6.4374]
        """
        level = confidence_level(level)
        degrees = self.df if df is None else df
        if not number(degrees) or not degrees > 0:
            raise SurveyError(f"degrees of freedom must be a positive number, not {degrees!r}")
        half = stats.t.ppf((1 + level) / 2, degrees) * self.se
        table = self.table.with_columns(
            ci_low=pl.Series(self.estimate - half), ci_high=pl.Series(self.estimate + half)
        )
        return replace(self, table=table)


@dataclass(frozen=True)
class Columns:
    """Analysis variables as a numeric matrix: factor levels expanded to 0/1 columns."""

    values: np.ndarray  # (n, K), NaN where missing
    variables: list[str]  # per column
    levels: list[str | None]  # per column
    complete: bool = False  # known to hold no missing value (nothing to look for)


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


def analysis_columns(design: Design, variables: Sequence[str]) -> Columns:
    """One column per numeric variable, one 0/1 column per level of a text one (NaN if missing).

    Built by one Polars selection (parallel) copied once into a row-major NumPy array.
    """
    expressions: list[pl.Expr] = []
    names: list[str] = []
    levels: list[str | None] = []
    complete = True
    for name in variables:
        if name not in design.data.columns:
            raise SurveyError("variable not found in the data", column=name)
        series = design.data.get_column(name)
        complete = (
            complete
            and not series.null_count()
            and not (series.dtype.is_float() and bool(series.is_nan().any()))
        )
        if series.dtype.is_numeric():
            expressions.append(pl.col(name).cast(pl.Float64).alias(f"{len(expressions)}"))
            names.append(name)
            levels.append(None)
        elif isinstance(series.dtype, FACTOR_TYPES):
            text = pl.col(name) if series.dtype == pl.Boolean else pl.col(name).cast(pl.String)
            for value in _factor_levels(series):
                expressions.append((text == value).cast(pl.Float64).alias(f"{len(expressions)}"))
                names.append(name)
                levels.append(format_value(value))
        else:
            raise SurveyError(f"cannot estimate a {series.dtype} variable", column=name)
    matrix = design.data.select(expressions).to_numpy(order="c", writable=True)
    return Columns(np.asarray(matrix, dtype=np.float64), names, levels, complete)


def valid_rows(
    design: Design, columns: Columns, na_rm: bool, domain: np.ndarray | None = None
) -> np.ndarray:
    """Rows usable for the estimate; missing values in the domain are an error without na_rm."""
    if columns.complete:
        return np.ones(design.n, dtype=bool)
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
    names = column_names(by, "by")
    for name in names:
        if name not in design.data.columns:
            raise SurveyError("by column not found in the data", column=name)
    single = design.data.get_column(names[0])
    if len(names) == 1 and single.dtype.is_integer() and design.in_domain.all():
        return _integer_domains(single)
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


def _integer_domains(series: pl.Series) -> Domains:
    """The domains of one integer column over every row: its sorted values, coded by a lookup
    table when their range is narrow (no join)."""
    values = series.drop_nulls().unique().sort()
    low, high = (int(values[0]), int(values[-1])) if values.len() else (0, -1)
    if high - low >= 1 << 16:
        code = values.search_sorted(series).to_numpy().astype(np.int64)
    else:
        lookup = np.full(high - low + 1, -1, dtype=np.int64)
        lookup[values.to_numpy() - low] = np.arange(values.len())
        code = lookup[series.fill_null(low).to_numpy().astype(np.int64) - low]
    if series.null_count():
        code = np.where(series.is_null().to_numpy(), -1, code)
    return Domains([(value,) for value in values.to_list()], code)


def _normal_interval(
    estimate: np.ndarray, se: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    z = stats.norm.ppf((1 + level) / 2)
    return estimate - z * se, estimate + z * se


def tidy_table(
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
    low, high = _normal_interval(estimate, se, confidence_level(level))
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


def domain_sums(weights: np.ndarray, masks: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weighted sums (m, K, D) of the columns of y in each domain, for m weight columns."""
    if weights.shape[1] == 1:  # one matrix product reads y once
        return np.asarray(((weights * masks).T @ y).T[None])
    return np.stack([(weights * masks[:, [d]]).T @ y for d in range(masks.shape[1])], axis=2)
