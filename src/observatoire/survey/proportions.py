"""Confidence intervals for proportions (R's `svyciprop`), also used by Woodruff's quantile
intervals: logit and likelihood (a quasibinomial `svyglm` intercept, as R fits it), asin,
beta (Korn–Graubard), mean and xlogit, with Student's t on the design degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import polars as pl
from scipy import special, stats

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError, confidence_level
from observatoire.survey.estimates import FACTOR_TYPES, Estimates, format_value
from observatoire.survey.linearization import degrees_of_freedom, total_variance

IntervalMethod = Literal["mean", "beta", "xlogit", "asin"]
"""Intervals computed from an estimate and its SE (also those of Woodruff's quantile intervals)."""
CipropMethod = Literal["logit", "likelihood", "asin", "beta", "mean", "xlogit"]
CIPROP_METHODS: tuple[CipropMethod, ...] = get_args(CipropMethod)


def design_rows(design: Design) -> int:
    """R's nrow(design): the rows R keeps (a subset of an uncalibrated design drops rows)."""
    return design.n if design.keeps_rows else int(design.in_domain.sum())


def proportion(design: Design, indicator: np.ndarray) -> tuple[float, float]:
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
    method: IntervalMethod | Literal["logit"],
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
    method: CipropMethod = "logit",
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
    level = confidence_level(level)
    if not isinstance(variable, str) or variable not in design.data.columns:
        raise SurveyError("variable not found in the data", column=str(variable))
    series = design.data.get_column(variable)
    missing = series.is_null().to_numpy() & design.in_domain
    if missing.any() and not na_rm:
        raise SurveyError(
            f"{int(missing.sum())} row(s) of the domain have missing values; "
            "pass na_rm=True to leave them out",
            column=variable,
        )
    if isinstance(series.dtype, FACTOR_TYPES) and not isinstance(series.dtype, pl.Boolean):
        hits = (series.cast(pl.String) == str(equals)).fill_null(False).to_numpy()
    else:
        hits = (series == equals).fill_null(False).to_numpy()
    indicator = hits.astype(np.float64)
    df, n_rows = degrees_of_freedom(design), design_rows(design)
    answered = design.subset(~missing) if missing.any() else design
    p, se = proportion(answered, indicator)
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
        raise SurveyError(f"unknown method {method!r}; use {', '.join(CIPROP_METHODS)}")
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
