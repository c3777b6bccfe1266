"""Comparisons of estimates, all with one result shape (`Comparison`, a tidy table).

- `contrast(estimates, {label: coefficient, ...})`: R's `svycontrast`, linear combinations of
  estimates named by their labels (several at once with `{name: {label: coefficient}}`);
- `difference(estimates, first, second)`: `second` minus `first`, two estimates of one call
  (two domains, two levels, two variables), their covariance counted;
- `pairwise(estimates)`: every pair of domains of a by-table, per variable and level;
- `independent_differences({name: estimates, ...})`: estimates of independent samples (waves,
  populations): variances add, so a difference's se is √(se₁² + se₂²), and so do the degrees
  of freedom;
- `domain_vs_rest(design, variables, domain)`: means in a domain minus the rest of the sample;
- the tests of `observatoire.survey.tests` (t-test, tests of independence) return the same shape.

Intervals and p-values use Student's t on the degrees of freedom of the estimates' design (R's
`degf`), as R's `svyttest` and `svyglm` do; `df=math.inf` gives the normal quantile (R's
`confint` of a `svycontrast`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import polars as pl
from scipy import stats

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError, column_names, confidence_level, number
from observatoire.survey.estimates import Estimates
from observatoire.survey.means import mean

Correction = Literal["none", "bonferroni", "bh"]
Test = Literal["t", "F", "Chisq", "Wald", "adjWald"]
SCHEMA: dict[str, Any] = {
    "label": pl.String,
    "first": pl.String,
    "second": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "statistic": pl.Float64,
    "df": pl.Float64,
    "df_denominator": pl.Float64,
    "p_value": pl.Float64,
    "test": pl.String,
}
_INSIDE = "__inside_domain"


@dataclass(frozen=True)
class Comparison:
    """Tidy results of contrasts, differences and tests: one row each, always these columns.

    - `label`: what the row compares: a contrast's name, `second - first`, an estimate's label
      (independent samples, a domain against the rest), or the columns of a test;
    - `first`, `second`: the two sides of a difference (estimate labels or sample names);
    - `estimate`, `se`, `ci_low`, `ci_high`: the contrast or difference, its standard error and
      interval (null for tests of independence);
    - `statistic`, `df`, `df_denominator`, `p_value`: t (or F, χ²), its degrees of freedom (an
      F's numerator and denominator) and two-sided p-value;
    - `test`: `t`, `F`, `Chisq`, `Wald` or `adjWald`.

    `vcov` is the covariance of the estimates (NaN where unknown), so that contrasts compose.
    """

    table: pl.DataFrame
    vcov: np.ndarray
    level: float = 0.95

    @property
    def labels(self) -> list[str]:
        """The rows' labels."""
        return [str(label) for label in self.table["label"].to_list()]

    @property
    def estimate(self) -> np.ndarray:
        return self.table["estimate"].to_numpy()

    @property
    def se(self) -> np.ndarray:
        return self.table["se"].to_numpy()

    @property
    def statistic(self) -> np.ndarray:
        return self.table["statistic"].to_numpy()

    @property
    def df(self) -> np.ndarray:
        return self.table["df"].to_numpy()

    @property
    def p_value(self) -> np.ndarray:
        return self.table["p_value"].to_numpy()


def compared(
    labels: Sequence[str],
    estimate: np.ndarray,
    vcov: np.ndarray,
    df: np.ndarray | float,
    level: float,
    *,
    first: Sequence[str | None] | None = None,
    second: Sequence[str | None] | None = None,
) -> Comparison:
    """A `Comparison` of t tests of estimates against 0, with t intervals on `df`."""
    level = confidence_level(level)
    count = len(labels)
    estimate = np.asarray(estimate, dtype=np.float64)
    se = np.sqrt(np.diag(vcov)) if count else np.empty(0)
    degrees = np.broadcast_to(np.asarray(df, dtype=np.float64), (count,))
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(se > 0, estimate / se, np.nan)
    p_value = 2 * stats.t.sf(np.abs(statistic), degrees)
    half = stats.t.ppf((1 + level) / 2, degrees) * se
    table = pl.DataFrame(
        {
            "label": list(labels),
            "first": list(first) if first is not None else [None] * count,
            "second": list(second) if second is not None else [None] * count,
            "estimate": estimate,
            "se": se,
            "ci_low": estimate - half,
            "ci_high": estimate + half,
            "statistic": statistic,
            "df": degrees,
            "df_denominator": [None] * count,
            "p_value": p_value,
            "test": ["t"] * count,
        },
        schema=SCHEMA,
    )
    return Comparison(table, np.asarray(vcov, dtype=np.float64), level)


def tested(
    label: str,
    statistic: float,
    df: float,
    df_denominator: float | None,
    p_value: float,
    test: Test,
) -> Comparison:
    """A `Comparison` row for a test without an estimate (a test of independence)."""
    table = pl.DataFrame(
        {
            "label": [label],
            "first": [None],
            "second": [None],
            "estimate": [None],
            "se": [None],
            "ci_low": [None],
            "ci_high": [None],
            "statistic": [statistic],
            "df": [df],
            "df_denominator": [df_denominator],
            "p_value": [p_value],
            "test": [test],
        },
        schema=SCHEMA,
    )
    return Comparison(table, np.full((1, 1), np.nan))


def _positions(estimates: Estimates | Comparison, labels: Sequence[str]) -> list[int]:
    """Rows of the labels; an unknown label is an error naming some known ones."""
    known = {label: row for row, label in enumerate(estimates.labels)}
    strange = [label for label in labels if not isinstance(label, str)]
    if strange:
        raise SurveyError(f"estimates are named by their labels (text), not {strange[0]!r}")
    missing = [label for label in labels if label not in known]
    if missing:
        sample = ", ".join(list(known)[:6]) + (", …" if len(known) > 6 else "")
        raise SurveyError(f"no estimate labelled {missing[0]!r}; the labels are {sample}")
    return [known[label] for label in labels]


def _covariance(estimates: Estimates | Comparison, rows: list[int]) -> np.ndarray:
    block = estimates.vcov[np.ix_(rows, rows)]
    if np.isnan(block).any():
        raise SurveyError(
            "these estimates were computed without their covariance: pass covariance=True "
            "to the estimator (R's svyby(..., covmat=TRUE))"
        )
    return block


def _degrees(estimates: Estimates | Comparison, df: float | None) -> float:
    if df is not None:
        if not number(df) or not df > 0:
            raise SurveyError(f"degrees of freedom must be a positive number, not {df!r}")
        return float(df)
    if isinstance(estimates, Estimates):
        return float(estimates.df)
    return float(estimates.df[0]) if estimates.table.height else math.inf


def contrast(
    estimates: Estimates | Comparison,
    contrasts: Mapping[str, Any],
    *,
    level: float = 0.95,
    df: float | None = None,
) -> Comparison:
    """Linear combinations of estimates named by their labels (R's `svycontrast`).

    `contrasts` is `{label: coefficient}` (one contrast, labelled "contrast", as R) or
    `{name: {label: coefficient}}`; labels not named have coefficient 0.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 2.0, 4.0, 6.0]})
    >>> by_g = mean(Design.from_frame(frame), "y", by="g", covariance=True)
    >>> contrast(by_g, {"b:y": 1, "a:y": -1}).estimate.tolist()
    [3.5]
    """
    if not isinstance(contrasts, Mapping) or not contrasts:
        raise SurveyError(f"give the contrast as {{label: coefficient}}, not {contrasts!r}")
    named: dict[str, Mapping[str, Any]]
    if all(isinstance(value, Mapping) for value in contrasts.values()):
        named = {str(name): value for name, value in contrasts.items()}
    elif not any(isinstance(value, Mapping) for value in contrasts.values()):
        named = {"contrast": contrasts}
    else:
        raise SurveyError("give {label: coefficient} or {name: {label: coefficient}}, not both")
    for weights in named.values():
        if not isinstance(weights, Mapping) or not weights:
            raise SurveyError(f"give each contrast as {{label: coefficient}}, not {weights!r}")
        _positions(estimates, list(weights))
    used = sorted({label for weights in named.values() for label in weights})
    rows = _positions(estimates, used)
    matrix = np.zeros((len(named), len(used)))
    for i, weights in enumerate(named.values()):
        for label, coefficient in weights.items():
            if not number(coefficient):
                raise SurveyError(f"the coefficient of {label!r} must be a number")
            if not math.isfinite(coefficient):
                raise SurveyError(f"the coefficient of {label!r} is not finite")
            matrix[i, used.index(label)] = float(coefficient)
    values = matrix @ estimates.estimate[rows]
    vcov = matrix @ _covariance(estimates, rows) @ matrix.T
    return compared(list(named), values, vcov, _degrees(estimates, df), level)


def difference(
    estimates: Estimates | Comparison,
    first: str,
    second: str,
    *,
    level: float = 0.95,
    df: float | None = None,
) -> Comparison:
    """`second` minus `first`, two estimates of one call named by their labels.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 2.0, 4.0, 6.0]})
    >>> by_g = mean(Design.from_frame(frame), "y", by="g", covariance=True)
    >>> difference(by_g, "a:y", "b:y").table["label"].to_list()
    ['b:y - a:y']
    """
    _positions(estimates, [first, second])
    result = contrast(estimates, {second: 1.0, first: -1.0}, level=level, df=df)
    table = result.table.with_columns(
        label=pl.lit(f"{second} - {first}"), first=pl.lit(first), second=pl.lit(second)
    )
    return replace(result, table=table)


def pairwise(
    estimates: Estimates,
    *,
    correction: Correction = "none",
    level: float = 0.95,
    df: float | None = None,
) -> Comparison:
    """Every pair of domains of a by-table, for each variable and level: later minus earlier
    (in the table's order), with p-values adjusted within each variable and level.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": list("aabbcc"), "y": [1.0, 2, 4, 6, 3, 5]})
    >>> pairs = pairwise(mean(Design.from_frame(frame), "y", by="g", covariance=True))
    >>> pairs.table["label"].to_list()
    ['b:y - a:y', 'c:y - a:y', 'c:y - b:y']
    """
    if not estimates.by:
        raise SurveyError("pairwise differences need estimates by domain (by=...)")
    labels = estimates.labels
    keys = estimates.table.select("variable", "level").rows()
    groups: dict[tuple[Any, ...], list[int]] = {}
    for row, key in enumerate(keys):
        groups.setdefault(key, []).append(row)
    pairs = [pair for rows in groups.values() for pair in itertools.combinations(rows, 2)]
    if not pairs:
        raise SurveyError("pairwise differences need two domains or more")
    matrix = np.zeros((len(pairs), len(labels)))
    for i, (a, b) in enumerate(pairs):
        matrix[i, a], matrix[i, b] = -1.0, 1.0
    involved = sorted({row for pair in pairs for row in pair})
    _covariance(estimates, involved)
    vcov = matrix @ np.nan_to_num(estimates.vcov) @ matrix.T
    first = [labels[a] for a, _ in pairs]
    second = [labels[b] for _, b in pairs]
    result = compared(
        [f"{b} - {a}" for a, b in zip(first, second, strict=True)],
        matrix @ estimates.estimate,
        vcov,
        _degrees(estimates, df),
        level,
        first=first,
        second=second,
    )
    family = np.array([keys.index(keys[a]) for a, _ in pairs])
    adjusted = adjust_p_values(result.p_value, family, correction)
    return replace(result, table=result.table.with_columns(p_value=pl.Series(adjusted)))


def independent_differences(
    samples: Mapping[str, Estimates | Comparison],
    *,
    reference: str | None = None,
    labels: Sequence[str] | None = None,
    correction: Correction = "none",
    level: float = 0.95,
) -> Comparison:
    """Differences between independent samples (waves, populations) for every label they share.

    Each pair of samples in the mapping's order (later minus earlier), or each sample minus
    `reference`: the variance of a difference is the sum of the two variances (se = √(se₁² +
    se₂²)) and its degrees of freedom the sum of the two designs' (as one design with the
    sample as a stratum). `labels` limits the estimates compared; p-values are adjusted within
    each label when `correction` is "bonferroni" or "bh".

    >>> import polars as pl
    >>> wave1 = mean(Design.from_frame(pl.DataFrame({"y": [1.0, 2.0, 3.0]})), "y")
    >>> wave2 = mean(Design.from_frame(pl.DataFrame({"y": [2.0, 3.0, 4.0, 5.0]})), "y")
    >>> changes = independent_differences({"2019": wave1, "2022": wave2})
    >>> changes.table.select("label", "first", "second", "estimate").row(0)
    ('y', '2019', '2022', 1.5)
    """
    if not isinstance(samples, Mapping) or len(samples) < 2:
        raise SurveyError("independent differences need two samples or more, by name")
    names = list(samples)
    if reference is not None and (not isinstance(reference, str) or reference not in samples):
        raise SurveyError(f"no sample named {reference!r}; the samples are {', '.join(names)}")
    pairs = (
        [(reference, name) for name in names if name != reference]
        if reference is not None
        else list(itertools.combinations(names, 2))
    )
    position = {
        name: {label: row for row, label in enumerate(samples[name].labels)} for name in names
    }
    rows: list[tuple[str, str, str]] = []
    for a, b in pairs:
        shared = [label for label in position[a] if label in position[b]]
        wanted = shared if labels is None else column_names(labels, "labels")
        _positions(samples[a], wanted), _positions(samples[b], wanted)
        rows.extend((label, a, b) for label in wanted)
    if not rows:
        raise SurveyError("the samples have no estimate label in common")
    degrees = {name: _degrees(samples[name], None) for name in names}
    estimate, variance, df = [], [], []
    for label, a, b in rows:
        i, j = position[a][label], position[b][label]
        estimate.append(samples[b].estimate[j] - samples[a].estimate[i])
        variance.append(samples[a].vcov[i, i] + samples[b].vcov[j, j])
        df.append(degrees[a] + degrees[b])
    result = compared(
        [label for label, _, _ in rows],
        np.array(estimate),
        np.diag(variance),
        np.array(df),
        level,
        first=[a for _, a, _ in rows],
        second=[b for _, _, b in rows],
    )
    family = np.unique([label for label, _, _ in rows], return_inverse=True)[1]
    adjusted = adjust_p_values(result.p_value, family, correction)
    return replace(result, table=result.table.with_columns(p_value=pl.Series(adjusted)))


def domain_vs_rest(
    design: Design,
    variables: list[str] | str,
    domain: pl.Expr | np.ndarray,
    *,
    na_rm: bool = False,
    level: float = 0.95,
) -> Comparison:
    """Means (proportions for text columns) in `domain` minus those in the rest of the sample,
    one row per variable and level (label as `mean`'s; first "rest", second "domain").

    >>> import polars as pl
    >>> frame = pl.DataFrame({"g": ["a", "a", "b", "b", "b"], "y": [1.0, 3.0, 4.0, 6.0, 8.0]})
    >>> domain_vs_rest(Design.from_frame(frame), "y", pl.col("g") == "b").estimate.tolist()
    [4.0]
    """
    inside = design.subset(domain).in_domain
    if not inside.any() or not (design.in_domain & ~inside).any():
        raise SurveyError("the domain and the rest of the sample must both hold rows")
    flagged = replace(design, data=design.data.with_columns(pl.Series(_INSIDE, inside)))
    both = mean(flagged, variables, by=_INSIDE, na_rm=na_rm, covariance=True, level=level)
    count = both.table.height // 2  # per variable and level: rest (False), then inside
    matrix = np.zeros((count, 2 * count))
    for k in range(count):
        matrix[k, 2 * k], matrix[k, 2 * k + 1] = -1.0, 1.0
    table = both.table[::2]
    labels = [
        str(variable) + ("" if level_ is None else str(level_))
        for variable, level_ in zip(table["variable"], table["level"], strict=True)
    ]
    return compared(
        labels,
        matrix @ both.estimate,
        matrix @ both.vcov @ matrix.T,
        both.df,
        level,
        first=["rest"] * count,
        second=["domain"] * count,
    )


def adjust_p_values(p_values: np.ndarray, family: np.ndarray, method: Correction) -> np.ndarray:
    """Multiple-comparison adjustment of p-values within each family (NaN = not tested):
    "none", "bonferroni" or "bh" (Benjamini–Hochberg)."""
    if method not in ("none", "bonferroni", "bh"):
        raise SurveyError(f"unknown correction {method!r}; use none, bonferroni or bh")
    adjusted = np.array(p_values, dtype=np.float64)
    if method == "none":
        return adjusted
    for code in np.unique(family):
        members = np.flatnonzero((family == code) & ~np.isnan(adjusted))
        if members.size == 0:
            continue
        if method == "bonferroni":
            adjusted[members] = np.minimum(p_values[members] * members.size, 1.0)
        else:
            adjusted[members] = stats.false_discovery_control(p_values[members], method="bh")
    return adjusted
