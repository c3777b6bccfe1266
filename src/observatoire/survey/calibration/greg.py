"""Calibration on totals (R's ``calibrate``): linear (GREG), raking-ratio and logit distances.

The weights become w·g with g = 1 + F(x'λ), λ chosen so that the weighted totals of the
auxiliaries x equal their population totals. F depends on the distance: linear (g = 1 + x'λ,
possibly truncated to the bounds L ≤ g ≤ U), raking (g = exp(x'λ), truncated), logit (g moves
smoothly between L and U). The Newton iteration is R's ``grake`` step for step (pseudo-inverse,
step halving, rescaling when targets dwarf the weighted sample), so bounded solutions are R's.

Auxiliaries: ``"(Intercept)"`` (the population size), numeric columns (their totals) and
categorical margins (a count per category, as in `rake`). Like R's ``model.matrix``, a margin's
first category is left out when an intercept or an earlier margin already fixes the total; its
target must then agree with that total, so nothing is dropped silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, NoReturn, get_args

import numpy as np
import polars as pl
from scipy import linalg
from scipy.linalg import blas

from observatoire.survey.calibration.adjustments import Regression
from observatoire.survey.calibration.diagnostics import Gap, build_diagnostics
from observatoire.survey.calibration.targets import (
    CodedMargin,
    Margin,
    MarginsLike,
    check_margins_agree,
    code_margin,
    level_key,
    normalise_margins,
)
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.memory import small_pages

INTERCEPT = "(Intercept)"
Method = Literal["linear", "raking", "logit"]
METHODS: tuple[Method, ...] = get_args(Method)
RESCALE_THRESHOLD = 20.0
"""R's ``SOMETHRESHOLD``: when every target exceeds the weighted sample total this many times,
the weights are first scaled by the mean ratio (and bounds apply to the scaled weights)."""
RANK_TOLERANCE = 1e-7
"""R's ``qr`` tolerance for declaring an auxiliary a linear combination of the others."""

Curve = Callable[[np.ndarray, float, float], np.ndarray]


@dataclass(frozen=True)
class Distance:
    """A calibration distance as R's ``calfun``: g − 1 = F(u) and its derivative dF(u)."""

    F: Curve
    dF: Curve


def _linear_f(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return np.clip(u + 1, lower, upper) - 1


def _linear_df(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return ((u < upper - 1) & (u > lower - 1)).astype(np.float64)


def _raking_f(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return np.clip(np.exp(u), lower, upper) - 1


def _raking_df(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    # R's cal.raking compares u (not exp(u)) with the bounds; kept so that the Newton path,
    # hence the bounded solution reached, is R's.
    return np.where((u < upper - 1) & (u > lower - 1), np.exp(u), 0.0)


def _logit_f(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    e = np.exp(a * u)
    return (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e) - 1


def _logit_df(u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    e = np.exp(a * u)
    denominator = upper - 1 + (1 - lower) * e
    numerator = lower * (upper - 1) + upper * (1 - lower) * e
    return (
        upper * (1 - lower) * e * a / denominator
        - numerator * ((1 - lower) * e * a) / denominator**2
    )


DISTANCES = {
    "linear": Distance(_linear_f, _linear_df),
    "raking": Distance(_raking_f, _raking_df),
    "logit": Distance(_logit_f, _logit_df),
}


@dataclass(frozen=True)
class Auxiliaries:
    """The model matrix of a calibration, its population totals and a label per column."""

    matrix: np.ndarray
    population: np.ndarray
    labels: tuple[str, ...]
    margins: tuple[CodedMargin, ...]
    numeric: tuple[tuple[str, float], ...]
    intercept: float | None


@dataclass(frozen=True)
class Solution:
    """g for one weight column, with the iterations used, R's rescaling and the remaining misfit."""

    g: np.ndarray
    iterations: int
    scale: float | None
    misfit: np.ndarray
    converged: bool


@small_pages()
def calibrate(
    design: Design,
    totals: Mapping[Any, Any] | None = None,
    *,
    margins: MarginsLike | None = None,
    method: Method = "linear",
    bounds: tuple[float, float] | None = None,
    max_iter: int = 50,
    epsilon: float = 1e-10,
) -> Design:
    """Calibrate `design` to population totals (R's ``calibrate``).

    `totals` maps ``"(Intercept)"`` to the population size, a numeric column to its population
    total, and a categorical column (or a tuple of crossed columns) to ``{category: count}``,
    or, as R's ``calibrate(design, ~stype + api99, c(`(Intercept)`=6194, stypeH=755,
    stypeM=1018, api99=3914069))``, each level but one under its R name ``<column><level>``,
    the level left out (R's reference level) getting the rest of the population;
    `margins` may hold the categorical margins instead, in any shape `rake` accepts. `method` is
    the distance (``linear``, ``raking`` or ``logit``); `bounds` (L, U) bound g = new / old
    weight (required by ``logit``). Convergence is R's criterion, |misfit| / (1 + |target|) <
    `epsilon` for every total, with a default far stricter than R's 1e-7 so that results are
    those of the converged solution. Impossible targets (bounds too tight, an empty category,
    disagreeing margins, collinear auxiliaries) raise `SurveyError` naming the total concerned.
    A replicate design has every replicate calibrated too.

    >>> import polars as pl
    >>> from observatoire.survey.design import Design
    >>> frame = pl.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    >>> design = calibrate(Design.from_frame(frame), {"(Intercept)": 8, "x": 24})
    >>> [round(w, 6) for w in design.weights.tolist()]
    [0.8, 1.6, 2.4, 3.2]
    """
    if method not in METHODS:
        raise SurveyError(f"unknown calibration method {method!r}; use one of {', '.join(METHODS)}")
    if max_iter < 1 or not epsilon > 0:
        raise SurveyError("calibration needs max_iter >= 1 and epsilon > 0")
    lower, upper = _bounds(method, bounds)
    base = design.domain_weights
    model = _auxiliaries(design, base, totals or {}, margins)
    whalf = np.sqrt(base)
    basis = _basis(model, whalf)
    distance = DISTANCES[method]
    unbounded_linear = method == "linear" and math.isinf(lower) and math.isinf(upper)

    def solve(weights: np.ndarray) -> Solution:
        if unbounded_linear:
            return _linear_solution(model, weights)
        return _newton(model, weights, distance, lower, upper, epsilon=epsilon, max_iter=max_iter)

    solution = solve(base)
    if not solution.converged:
        _raise_not_converged(model, solution, method, (lower, upper), what="")
    new_base = base * solution.g
    replicate_weights = None
    if design.replicates is not None:
        columns = design.replicates.weights * design.in_domain[:, None]
        factors = np.ones_like(columns)
        for r in range(columns.shape[1]):
            replicate = solve(columns[:, r])
            if not replicate.converged:
                _raise_not_converged(
                    model, replicate, method, (lower, upper), what=f" (replicate {r + 1})"
                )
            factors[:, r] = replicate.g
        replicate_weights = np.where(
            design.in_domain[:, None],
            design.replicates.weights * factors,
            design.replicates.weights,
        )
    used_bounds = None if math.isinf(lower) and math.isinf(upper) else (lower, upper)
    diagnostics = build_diagnostics(
        method,
        iterations=solution.iterations,
        old_weights=base,
        new_weights=new_base,
        gaps=_gaps(model, new_base),
        bounds=used_bounds,
        notes=_notes(solution, new_base),
    )
    adjustment = Regression(method, basis, solution.g * whalf, diagnostics)
    return design.with_weights(
        np.where(design.in_domain, new_base, design.weights), adjustment, replicate_weights
    )


def _bounds(method: str, bounds: tuple[float, float] | None) -> tuple[float, float]:
    if bounds is None:
        if method == "logit":
            raise SurveyError("logit calibration needs finite bounds (L, U) with L < 1 < U")
        return -math.inf, math.inf
    try:
        lower, upper = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise SurveyError(f"bounds must be two numbers (L, U), not {bounds!r}") from None
    if method == "logit":
        if not (math.isfinite(lower) and math.isfinite(upper) and lower < 1 < upper):
            raise SurveyError(
                f"logit calibration needs finite bounds with L < 1 < U, not ({lower:g}, {upper:g})"
            )
    elif not lower <= 1 <= upper or lower == upper:
        raise SurveyError(
            f"bounds on g = new / old weight must satisfy L <= 1 <= U with L < U, not "
            f"({lower:g}, {upper:g})"
        )
    return lower, upper


def _auxiliaries(
    design: Design, base: np.ndarray, totals: Mapping[Any, Any], margins: MarginsLike | None
) -> Auxiliaries:
    intercept: float | None = None
    if INTERCEPT in totals:
        intercept = _total(INTERCEPT, totals[INTERCEPT])
        if intercept <= 0:
            raise SurveyError(
                f"the population size {INTERCEPT} must be positive, not {intercept:g}"
            )
    numeric: list[tuple[str, float]] = []
    categorical: list[Margin] = []
    contrast_named: dict[str, dict[str, float]] = {}
    for key, value in totals.items():
        if key == INTERCEPT:
            continue
        if isinstance(value, Mapping | pl.DataFrame):
            categorical.append(Margin.of(key, value))
        elif not isinstance(key, str):
            raise SurveyError(f"calibration total {key!r}: expected a column name")
        elif key not in design.data.columns and (named := _contrast_name(design.data, key)):
            contrast_named.setdefault(named[0], {})[named[1]] = _total(key, value)
        else:
            numeric.append((key, _total(key, value)))
    if margins is not None:
        categorical.extend(normalise_margins(margins))
    for column, given in contrast_named.items():
        reference = intercept if intercept is not None else _first_total(categorical)
        categorical.append(_implied_margin(design.data, column, given, reference))
    names = [m.name for m in categorical] + [name for name, _ in numeric]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise SurveyError(f"calibration total {repeated[0]} is given twice")
    if intercept is None and not categorical and not numeric:
        raise SurveyError("calibration needs at least one total")
    if categorical:
        check_margins_agree(categorical, rel_tol=1e-9, against=intercept)
    coded = [code_margin(design.data, base, margin) for margin in categorical]

    population: list[float] = []
    labels: list[str] = []
    fills: list[Callable[[np.ndarray], None]] = []
    if intercept is not None:
        fills.append(lambda column: column.fill(1.0))
        population.append(intercept)
        labels.append(INTERCEPT)
    for index, margin in enumerate(coded):
        first = 1 if intercept is not None or index > 0 else 0
        for category in range(first, margin.size):
            fills.append(partial(_dummy, margin.codes, category))
            population.append(float(margin.targets[category]))
            labels.append(f"{margin.margin.name} = {margin.labels()[category]}")
    for name, total in numeric:
        fills.append(partial(_copy, _numeric_column(design.data, name)))
        population.append(total)
        labels.append(name)
    matrix = np.empty((design.n, len(fills)), order="F")
    for index, fill in enumerate(fills):
        fill(matrix[:, index])
    return Auxiliaries(
        matrix=matrix,
        population=np.asarray(population),
        labels=tuple(labels),
        margins=tuple(coded),
        numeric=tuple(numeric),
        intercept=intercept,
    )


_FACTOR_DTYPES = (pl.String, pl.Categorical, pl.Enum, pl.Boolean)


def _levels(data: pl.DataFrame, column: str) -> list[str]:
    """A factor-like column's levels as calibration targets name them (`level_key`)."""
    series = data.get_column(column).drop_nulls()
    if isinstance(series.dtype, pl.Categorical | pl.Enum):
        series = series.cast(pl.String)
    return sorted({level_key(value) for value in series.unique().to_list()})


def _contrast_name(data: pl.DataFrame, key: str) -> tuple[str, str] | None:
    """R's model.matrix name of a factor level, `<column><level>` (`stypeH`, `sch.wideYes`,
    `awardsTRUE`), split into column and level; the longest column name that fits wins."""
    found = None
    for column in data.columns:
        dtype = data.schema[column]
        factor = isinstance(dtype, _FACTOR_DTYPES) or dtype.is_integer()
        if not factor or not key.startswith(column) or len(key) == len(column):
            continue
        level = key[len(column) :]
        level = level.lower() if level in ("TRUE", "FALSE") else level
        if level in _levels(data, column) and (found is None or len(column) > len(found[0])):
            found = (column, level)
    return found


def _first_total(margins: list[Margin]) -> float | None:
    return margins[0].total if margins else None


def _implied_margin(
    data: pl.DataFrame, column: str, given: dict[str, float], reference: float | None
) -> Margin:
    """A margin from R's contrast-named totals (`stypeH`, `stypeM`): the level left out (R's
    reference level) gets the rest of the population, `reference` (the intercept)."""
    missing = [level for level in _levels(data, column) if level not in given]
    if not missing:
        return Margin.of(column, given)
    named = ", ".join(f"{column}{level}" for level in given)
    if len(missing) > 1:
        raise SurveyError(
            f"calibration totals {named} leave out {len(missing)} levels of {column} "
            f"({', '.join(missing)}): give every level but one, whose total is implied by "
            f"{INTERCEPT} (R's reference level)",
            column=column,
        )
    if reference is None:
        raise SurveyError(
            f"calibration totals {named}: the level {missing[0]} of {column} is implied by the "
            f"population size; give {INTERCEPT} (as R's model) or a total for every level",
            column=column,
        )
    implied = reference - math.fsum(given.values())
    if implied < 0:
        raise SurveyError(
            f"calibration totals {named} sum to {math.fsum(given.values()):.10g}, more than the "
            f"population size {reference:.10g}: level {missing[0]} would get a negative total",
            column=column,
        )
    return Margin.of(column, {**given, missing[0]: implied})


def _dummy(codes: np.ndarray, category: int, column: np.ndarray) -> None:
    np.equal(codes, category, out=column, casting="unsafe")


def _copy(values: np.ndarray, column: np.ndarray) -> None:
    column[:] = values


def _total(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SurveyError(f"calibration total {name}: not a number: {value!r}") from None
    if not math.isfinite(number):
        raise SurveyError(f"calibration total {name} is {number}")
    return number


def _numeric_column(data: pl.DataFrame, name: str) -> np.ndarray:
    if name not in data.columns:
        raise SurveyError(
            f"calibration total {name}: no such column; columns are {', '.join(data.columns)}",
            column=name,
        )
    series = data.get_column(name)
    if not series.dtype.is_numeric():
        raise SurveyError(
            f"calibration total {name}: the column is {series.dtype}, not numeric; give "
            "{category: count} targets for a categorical column",
            column=name,
        )
    if series.null_count():
        first = int(series.is_null().arg_true()[0])
        raise SurveyError(
            f"calibration total {name}: {series.null_count()} missing value(s), "
            f"the first at row {first}",
            column=name,
            row=first,
        )
    values = series.cast(pl.Float64).to_numpy()
    if not np.all(np.isfinite(values)):
        first = int(np.flatnonzero(~np.isfinite(values))[0])
        raise SurveyError(
            f"calibration total {name}: non-finite value at row {first}", column=name, row=first
        )
    return values


def _basis(model: Auxiliaries, whalf: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the auxiliaries scaled by √w, the column space of R's
    ``qr(mm * whalf)``; collinear auxiliaries are an error naming them.

    Computed by CholeskyQR2 on equilibrated columns (two Gram matrices and two triangular
    products in place: as accurate as Householder QR for any matrix not near collinearity, and
    ten times faster on a million rows); near collinearity is diagnosed by R's pivoted QR.
    """
    basis = np.asfortranarray(model.matrix * whalf[:, None])
    gram = _gram(basis, None)
    norms = np.sqrt(gram.diagonal())
    if np.any(norms == 0) or not _well_conditioned(gram / np.outer(norms, norms)):
        _raise_collinear(model, basis)
    basis /= norms
    for _ in range(2):
        try:
            factor = linalg.cholesky(_gram(basis, None), lower=False)
        except linalg.LinAlgError:
            _raise_collinear(model, model.matrix * whalf[:, None])
        inverse = linalg.solve_triangular(factor, np.eye(factor.shape[0]))
        basis = blas.dtrmm(1.0, inverse, basis, side=1, lower=0, overwrite_b=1)
    return basis


def _well_conditioned(correlation: np.ndarray) -> bool:
    """Whether the smallest eigenvalue of the auxiliaries' correlation-like Gram matrix is above
    the square of R's QR tolerance (the same angle between a column and the others)."""
    return bool(np.linalg.eigvalsh(correlation)[0] > RANK_TOLERANCE**2)


def _raise_collinear(model: Auxiliaries, scaled: np.ndarray) -> NoReturn:
    _, r, pivots = linalg.qr(scaled, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int(np.sum(diagonal > RANK_TOLERANCE * diagonal[0]))
    dependent = ", ".join(model.labels[i] for i in sorted(pivots[min(rank, len(pivots) - 1) :]))
    raise SurveyError(
        f"calibration auxiliaries are collinear (or empty in the sample): {dependent} "
        "adds nothing to the others; remove it or merge categories"
    )


GRAM_BLOCK = 1 << 15
"""Rows per block when forming weighted Gram matrices: blocks stay in cache and no (n, p)
temporary is ever allocated."""


def _gram(matrix: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """matrixᵀ diag(weights) matrix, by blocks of rows."""
    p = matrix.shape[1]
    result = np.zeros((p, p))
    for start in range(0, matrix.shape[0], GRAM_BLOCK):
        block = matrix[start : start + GRAM_BLOCK]
        right = block if weights is None else block * weights[start : start + GRAM_BLOCK, None]
        result += block.T @ right
    return result


def _linear_solution(model: Auxiliaries, weights: np.ndarray) -> Solution:
    """R's ``regcalibrate``: g = 1 + x'T⁻¹(t − t̂) in one step."""
    mm = model.matrix
    sample_total = mm.T @ weights
    tmat = _gram(mm, weights)
    try:
        step = np.linalg.solve(tmat, model.population - sample_total)
    except np.linalg.LinAlgError:
        raise SurveyError(
            "calibration totals cannot be met: the auxiliaries are collinear in these weights"
        ) from None
    g = 1 + mm @ step
    return Solution(g, 1, None, model.population - mm.T @ (weights * g), True)


def _newton(
    model: Auxiliaries,
    weights: np.ndarray,
    distance: Distance,
    lower: float,
    upper: float,
    *,
    epsilon: float,
    max_iter: int,
) -> Solution:
    """R's ``grake``: Newton steps on λ with a pseudo-inverse and step halving."""
    mm = model.matrix
    population = model.population
    ww = weights
    sample_total = mm.T @ ww
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = population / sample_total
    scale = None
    if np.min(scales) > RESCALE_THRESHOLD:
        scale = float(np.mean(scales))
        ww = ww * scale
        sample_total = sample_total * scale
    eta = np.zeros(mm.shape[1])
    xeta = np.zeros(mm.shape[0])
    iteration = 1
    tolerance = 1 + np.abs(population)
    with np.errstate(over="ignore", invalid="ignore"):
        deriv = distance.dF(xeta, lower, upper)
        while True:
            tmat = _gram(mm, ww * deriv)
            misfit = population - sample_total - mm.T @ (ww * distance.F(xeta, lower, upper))
            step = np.linalg.pinv(tmat, rtol=256 * np.finfo(float).eps) @ misfit
            eta = eta + step
            xeta = mm @ eta
            g = 1 + distance.F(xeta, lower, upper)
            deriv = distance.dF(xeta, lower, upper)
            while iteration < max_iter and not (
                np.all(np.isfinite(g)) and np.all(np.isfinite(deriv))
            ):
                iteration += 1
                step = step / 2
                eta = eta - step
                xeta = mm @ eta
                g = 1 + distance.F(xeta, lower, upper)
                deriv = distance.dF(xeta, lower, upper)
            misfit = population - sample_total - mm.T @ (ww * distance.F(xeta, lower, upper))
            if np.all(np.abs(misfit) / tolerance < epsilon):
                converged = True
                break
            iteration += 1
            if iteration > max_iter:
                converged = False
                break
    if scale is not None:
        g = g * scale
    return Solution(g, iteration, scale, misfit, converged and bool(np.all(np.isfinite(g))))


def _raise_not_converged(
    model: Auxiliaries, solution: Solution, method: str, bounds: tuple[float, float], *, what: str
) -> None:
    relative = np.abs(solution.misfit) / (1 + np.abs(model.population))
    relative = np.where(np.isfinite(relative), relative, np.inf)
    worst = int(np.argmax(relative))
    bounded = (
        "" if all(math.isinf(b) for b in bounds) else f" with bounds ({bounds[0]:g}, {bounds[1]:g})"
    )
    raise SurveyError(
        f"{method} calibration{bounded} did not converge in {solution.iterations} "
        f"iterations{what}: "
        f"the total of {model.labels[worst]} (target {model.population[worst]:.10g}) is still "
        f"missed by {abs(solution.misfit[worst]):.4g}; the targets cannot be met"
        + (" within these bounds: widen them" if bounded else "")
        + " or merge sparse categories"
    )


def _gaps(model: Auxiliaries, weights: np.ndarray) -> list[Gap]:
    gaps = []
    if model.intercept is not None:
        gaps.append(Gap(INTERCEPT, "", model.intercept, float(weights.sum())))
    for margin in model.margins:
        reached = np.bincount(margin.codes, weights=weights, minlength=margin.size + 1)
        gaps.extend(
            Gap(margin.margin.name, label, float(target), float(value))
            for label, target, value in zip(margin.labels(), margin.targets, reached, strict=False)
        )
    offset = model.matrix.shape[1] - len(model.numeric)
    for index, (name, total) in enumerate(model.numeric):
        gaps.append(Gap(name, "", total, float(model.matrix[:, offset + index] @ weights)))
    return gaps


def _notes(solution: Solution, weights: np.ndarray) -> list[str]:
    notes = []
    if solution.scale is not None:
        notes.append(
            f"weights scaled by {solution.scale:.6g} before calibrating (every target is over "
            f"{RESCALE_THRESHOLD:g} times the weighted sample total), as R does; bounds apply "
            "to the scaled weights"
        )
    negative = int((weights < 0).sum())
    if negative:
        notes.append(
            f"{negative} weight(s) are negative: bound g (e.g. bounds=(0.2, 5)) or use the "
            "logit or raking method"
        )
    return notes
