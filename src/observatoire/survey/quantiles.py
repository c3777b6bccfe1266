"""Quantiles with Woodruff intervals (R's `svyquantile`) and R's quantile rules (`qrule_*`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

import numpy as np
import polars as pl
from scipy import stats

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError, column_names, confidence_level
from observatoire.survey.estimates import Estimates, analysis_columns, domains, valid_rows
from observatoire.survey.linearization import degrees_of_freedom
from observatoire.survey.proportions import (
    IntervalMethod,
    design_rows,
    proportion,
    proportion_interval,
)

QRule = Literal[
    "math", "school", "shahvaish", "hf1", "hf2", "hf3", "hf4", "hf5", "hf6", "hf7", "hf8", "hf9"
]
QRULES: tuple[QRule, ...] = get_args(QRule)
INTERVAL_TYPES: tuple[IntervalMethod, ...] = get_args(IntervalMethod)


def quantile_rule(rule: QRule, x: np.ndarray, w: np.ndarray, p: float) -> float:
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


def quantile(
    design: Design,
    variable: str,
    probs: Sequence[float] | float,
    *,
    by: Sequence[str] | str | None = None,
    qrule: QRule = "math",
    interval_type: IntervalMethod = "mean",
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
    level = confidence_level(level)
    if qrule not in QRULES:
        raise SurveyError(f"unknown qrule {qrule!r}; use one of {', '.join(QRULES)}")
    if interval_type not in INTERVAL_TYPES:
        choices = ", ".join(INTERVAL_TYPES)
        raise SurveyError(f"unknown interval_type {interval_type!r}; use {choices}")
    ps = [probs] if isinstance(probs, float | int) else list(probs)
    by_names = column_names(by, "by", optional=True)
    columns = analysis_columns(design, [variable])
    if columns.levels[0] is not None:
        raise SurveyError("quantiles need a numeric column", column=variable)
    cells = domains(design, by_names)
    valid = valid_rows(design, columns, na_rm, cells.code >= 0)
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
    design: Design,
    x: np.ndarray,
    q: float,
    qrule: QRule,
    method: IntervalMethod,
    level: float,
    df: int,
) -> tuple[float, float]:
    """R's woodruffCI: interval of P(X <= q) mapped back through the quantile rule."""
    w = design.domain_weights
    below = (x <= q).astype(np.float64)
    p, se = proportion(design, below)
    low, high = proportion_interval(
        p, se, method, level, df, n_rows=design_rows(design), design_df=df
    )
    w_q = np.where(design.in_domain, w, 0.0)
    lower = np.nan if np.isnan(low) or low < 0 else quantile_rule(qrule, x, w_q, low)
    upper = np.nan if np.isnan(high) or high > 1 else quantile_rule(qrule, x, w_q, high)
    return lower, upper
