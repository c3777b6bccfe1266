"""Taylor-linearisation variance of estimated totals, as R's `svyrecvar`.

Callers pass weighted influence values ("scores", R's `x` inside `svyrecvar`): one column per
estimated total, zero outside the domain. The variance is that of the sum of each column under
the design: calibration residuals first (once), then per stage the between-unit variance within
strata, with the finite-population factor (N - n) / N and n / (n - 1); with an fpc at a stage,
the next stage's within-unit variance is added, multiplied by the sampling fraction n / N of the
stages above (R's `multistage`). Strata with one unit follow the design's `lonely_psu` policy.

Everything is vectorised: rows are aggregated to units with a sparse indicator product, strata
and units are handled with array arithmetic, never a loop over rows, units or strata.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError

_CENSUS = 1e-7


def indicator(codes: np.ndarray, size: int | None = None) -> sp.csr_matrix:
    """Sparse (groups × rows) 0/1 matrix: `indicator(codes) @ x` sums x by group."""
    n = codes.shape[0]
    groups = int(codes.max(initial=-1)) + 1 if size is None else size
    return sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(groups, n))


def adjusted_scores(design: Design, scores: np.ndarray) -> np.ndarray:
    """Scores residualised on every calibration of the design (R's postStrata handling)."""
    result = np.asarray(scores, dtype=np.float64)
    for adjustment in design.calibrations:
        result = np.asarray(adjustment.adjust(result), dtype=np.float64)
    return result


def total_variance(design: Design, scores: np.ndarray, *, covariance: bool = False) -> np.ndarray:
    """Variances (k,) — or the (k, k) covariance — of the column totals of `scores` (n, k).

    >>> import numpy as np, polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]})
    >>> design = Design.from_frame(frame)
    >>> y = frame["y"].to_numpy()
    >>> total_variance(design, (y - y.mean())[:, None]).round(4).tolist()
    [6.6667]
    """
    x = np.asarray(scores, dtype=np.float64)
    one_column = x.ndim == 1
    if one_column:
        x = x[:, None]
    if x.shape[0] != design.n:
        raise SurveyError(f"scores have {x.shape[0]} rows, the design {design.n}")
    x = adjusted_scores(design, x)
    k = x.shape[1]
    result = np.zeros((k, k)) if covariance else np.zeros(k)
    multiplier = np.ones(design.n)
    present = _present_rows(design)
    for stage in range(len(design.clusters)):
        result = result + _stage_variance(design, stage, x, multiplier, present, covariance)
        population = design.fpc[stage]
        if population is None or stage + 1 == len(design.clusters):
            break
        multiplier = multiplier * design.units[stage] / population
    return result[0] if one_column and not covariance else result


def _present_rows(design: Design) -> np.ndarray:
    """Rows R still holds: a domain of an uncalibrated design is physically subset in R."""
    if design.calibrations:
        return np.ones(design.n, dtype=bool)
    return design.in_domain & (design.weights != 0)


def _stage_variance(
    design: Design,
    stage: int,
    x: np.ndarray,
    multiplier: np.ndarray,
    present: np.ndarray,
    covariance: bool,
) -> np.ndarray:
    """Between-unit variance at one stage, summed over its strata (R's `onestage`)."""
    strata = design.stage_strata[stage]
    units = design.clusters[stage]
    n_h_rows = design.units[stage]
    population = design.fpc[stage]
    if population is None:
        fraction = np.ones(design.n)
    else:
        fraction = np.where(np.isinf(population), 1.0, (population - n_h_rows) / population)

    unit_first = np.unique(units, return_index=True)[1]
    unit_stratum = strata[unit_first]
    n_units = unit_first.shape[0]
    totals = indicator(units, n_units) @ x
    n_strata = int(strata.max()) + 1
    stratum_first = np.unique(strata, return_index=True)[1]
    n_h = n_h_rows[stratum_first]
    f_h = fraction[stratum_first]
    census = _all_by_group(fraction < _CENSUS, strata, n_strata)
    lonely = (n_h == 1) & ~census
    scale = np.where(n_h > 1, f_h * n_h / np.maximum(n_h - 1, 1), f_h)
    scale[census] = 0.0

    policy = design.lonely_psu
    lonely_present = lonely & _any_by_group(present, strata, n_strata)
    if np.any(lonely_present) and policy == "fail":
        code = int(np.flatnonzero(lonely_present)[0])
        label = design.stratum_label(code) if stage == 0 else f"unit {code + 1}"
        raise SurveyError(
            f"stratum {label} has only one PSU at stage {stage + 1}; choose a lonely_psu policy "
            "(remove, adjust, average, certainty) or merge strata"
        )
    centre = ~(lonely & (policy == "adjust"))
    stratum_sums = indicator(unit_stratum, n_strata) @ totals
    means = stratum_sums / n_h[:, None]
    centred = totals - np.where(centre[unit_stratum, None], means[unit_stratum], 0.0)

    # R's onestage rescales the strata it could use by nstrat / nokstrat ("average" policy),
    # separately within each unit of the stage above.
    usable = ~(lonely & (policy == "average"))
    parent = design.clusters[stage - 1][stratum_first] if stage else np.zeros(n_strata, np.int64)
    stratum_present = _any_by_group(present, strata, n_strata)
    n_parent = int(parent.max()) + 1
    nstrat = np.bincount(parent, weights=stratum_present, minlength=n_parent)
    nok = np.bincount(parent, weights=stratum_present & usable, minlength=n_parent)
    with np.errstate(divide="ignore", invalid="ignore"):
        rescale = np.where(nstrat > 0, nstrat / nok, 0.0)
    factor = np.where(usable, scale * rescale[parent], 0.0)

    unit_weight = factor[unit_stratum] * multiplier[unit_first]
    if covariance:
        return np.asarray((centred * unit_weight[:, None]).T @ centred)
    return np.asarray(unit_weight @ (centred * centred))


def _any_by_group(flags: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(groups, weights=flags.astype(np.float64), minlength=size) > 0


def _all_by_group(flags: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    return ~_any_by_group(~flags, groups, size)


def degrees_of_freedom(design: Design) -> int:
    """Design degrees of freedom: PSUs minus strata among rows of the domain (R's `degf`).

    A replicate design has the rank of its replicate weights minus one, as R.
    """
    if design.replicates is not None:
        return design.replicates.degrees_of_freedom
    inset = design.in_domain & (design.weights != 0)
    psus = np.unique(design.clusters[0][inset]).shape[0]
    strata = np.unique(design.strata[inset]).shape[0]
    return int(psus - strata)
