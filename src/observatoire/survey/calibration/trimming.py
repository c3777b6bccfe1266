"""Trimming extreme weights, the excess spread over the other rows (R's ``trimWeights``).

Weights below `lower` are raised to it and weights above `upper` lowered to it; the amount
removed (or added) is shared equally among the rows not trimmed, so the weighted total is kept.
Sharing can push a row over a bound, so the step repeats (R's ``strict=TRUE``), each trimmed row
staying at its bound, until every weight is within the bounds.
"""

from __future__ import annotations

import numpy as np

from observatoire.survey.calibration.adjustments import Trimming
from observatoire.survey.calibration.diagnostics import build_diagnostics
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError

RELATIVE_TO = ("mean", "median")


def trim(
    design: Design,
    lower: float | None = None,
    upper: float | None = None,
    *,
    relative_to: str | None = None,
    max_iter: int = 100,
) -> Design:
    """Trim the weights of `design` to [lower, upper], keeping their total.

    With `relative_to` ``"mean"`` or ``"median"``, the bounds are multiples of the mean or
    median weight (e.g. ``upper=3.5, relative_to="median"``). A replicate design has every
    replicate trimmed to the same bounds, among its rows of positive weight. Bounds that no set of
    weights with this total can meet, or a trimming still moving after `max_iter` passes, raise
    `SurveyError`. The first pass is R's ``trimWeights``; later passes keep trimmed rows at their
    bound where R's ``strict=TRUE`` would let them move back inside.

    >>> import polars as pl
    >>> from observatoire.survey.design import Design
    >>> frame = pl.DataFrame({"w": [1.0, 1.0, 1.0, 1.0, 6.0]})
    >>> trim(Design.from_frame(frame, weights="w"), upper=4).weights.tolist()
    [1.5, 1.5, 1.5, 1.5, 4.0]
    """
    if lower is None and upper is None:
        raise SurveyError("trimming needs a lower or an upper bound")
    if max_iter < 1:
        raise SurveyError("trimming needs max_iter >= 1")
    base = design.domain_weights
    positive = base > 0
    low = -np.inf if lower is None else float(lower)
    high = np.inf if upper is None else float(upper)
    if relative_to is not None:
        if relative_to not in RELATIVE_TO:
            raise SurveyError(f"relative_to must be 'mean', 'median' or None, not {relative_to!r}")
        reference = float(
            np.mean(base[positive]) if relative_to == "mean" else np.median(base[positive])
        )
        low, high = low * reference, high * reference
    if not low < high:
        raise SurveyError(f"trimming bounds must satisfy lower < upper, not ({low:g}, {high:g})")
    new_base = base.copy()
    new_base[positive], passes = _trim_column(base[positive], low, high, max_iter, what="")
    replicate_weights = None
    if design.replicates is not None:
        replicate_weights = design.replicates.weights.copy()
        for r in range(replicate_weights.shape[1]):
            rows = positive & (replicate_weights[:, r] > 0)
            replicate_weights[rows, r], _ = _trim_column(
                replicate_weights[rows, r], low, high, max_iter, what=f" (replicate {r + 1})"
            )
    trimmed = int(np.sum(positive & ((base < low) | (base > high))))
    diagnostics = build_diagnostics(
        "trim",
        iterations=passes,
        old_weights=base,
        new_weights=new_base,
        bounds=(low, high),
        notes=[f"{trimmed} weight(s) outside [{low:.6g}, {high:.6g}] trimmed; total kept"],
    )
    return design.with_weights(
        np.where(design.in_domain, new_base, design.weights),
        Trimming(diagnostics),
        replicate_weights,
    )


def _trim_column(
    weights: np.ndarray, low: float, high: float, max_iter: int, *, what: str
) -> tuple[np.ndarray, int]:
    total = float(weights.sum())
    count = weights.size
    if count * low > total * (1 + 1e-12) or count * high < total * (1 - 1e-12):
        raise SurveyError(
            f"trimming bounds [{low:.6g}, {high:.6g}] cannot hold {count} weights summing to "
            f"{total:.6g}{what}: the mean weight {total / count:.6g} must lie between them"
        )
    result = weights.copy()
    fixed = np.zeros(count, dtype=bool)
    for passes in range(1, max_iter + 1):
        outside = ~fixed & ((result < low) | (result > high))
        if not outside.any():
            return result, passes - 1
        clipped = np.clip(result[outside], low, high)
        excess = float(np.sum(result[outside] - clipped))
        result[outside] = clipped
        fixed |= outside
        free = ~fixed
        if not free.any():
            raise SurveyError(
                f"trimming to [{low:.6g}, {high:.6g}] leaves no weight free to take the "
                f"excess{what}"
            )
        result[free] += excess / free.sum()
    if np.any(~fixed & ((result < low) | (result > high))):
        raise SurveyError(
            f"trimming to [{low:.6g}, {high:.6g}] still moves weights after {max_iter} "
            f"passes{what}; raise max_iter or widen the bounds"
        )
    return result, max_iter
