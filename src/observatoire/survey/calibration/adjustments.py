"""How each weighting step changes the linearised variance, exactly as R's ``svyrecvar`` does.

A calibrated estimator's influence values are the residuals of the raw ones on the calibration
auxiliaries. Each class here implements `CalibrationAdjustment.adjust(scores)` for one kind of
step, reproducing the branch of R's ``svyrecvar`` that handles ``design$postStrata``:

- `PostStratification`: ``x - psmeans[cell] * w`` with the old-weighted cell means of x/w;
- `Raking`: R's approximation for ``rake()``: 10 backfitting sweeps over the margins, each
  ``x - w_m * ave(x / w_m, margin)`` with the weights w_m stored after margin m in the last cycle
  and ``ave`` the *unweighted* cell mean; computed here on the joint cells of all margins
  (the weights are constant within them), so a million rows cost one pass in and one out;
- `Regression` (linear, raking and logit ``calibrate()``): ``qr.resid(qr, x / w) * w`` where the
  QR is that of the auxiliaries times √(old weight) and w = g √(old weight);
- `Trimming`: no change (R's ``trimWeights`` leaves the variance formula alone).

Scores of rows with zero weight are zero; they are left out of the cell means where R would
divide 0 by 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from observatoire.survey.calibration.cells import group_sums, indicator, safe_divide
from observatoire.survey.calibration.diagnostics import CalibrationDiagnostics

RAKING_SWEEPS = 10
"""Backfitting sweeps R's ``svyrecvar`` makes over the margins of a raked design."""


def _as_matrix(scores: np.ndarray) -> np.ndarray:
    return scores[:, None] if scores.ndim == 1 else scores


def _like(result: np.ndarray, scores: np.ndarray) -> np.ndarray:
    return result[:, 0] if scores.ndim == 1 else result


class PostStratification:
    """Residuals on post-stratification cells (R's ordinary ``postStratify`` branch)."""

    method = "poststratify"

    def __init__(
        self,
        codes: np.ndarray,
        cells: int,
        old_weights: np.ndarray,
        new_weights: np.ndarray,
        diagnostics: CalibrationDiagnostics,
    ) -> None:
        self.codes = codes
        self.cells = cells
        self.old_weights = old_weights
        self.new_weights = np.where((new_weights == 0) & (old_weights == 0), 1.0, new_weights)
        self.diagnostics = diagnostics

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        ratio = self.old_weights / self.new_weights
        sums = group_sums(self.codes, self.cells, x * ratio[:, None])
        totals = np.bincount(self.codes, weights=self.old_weights, minlength=self.cells)
        means = safe_divide(sums, totals[:, None])
        return _like(x - means[self.codes] * self.new_weights[:, None], scores)


@dataclass(frozen=True)
class RakingStep:
    """One margin of the last raking cycle, on the joint cells of all margins.

    `category[j]` is joint cell j's category in this margin (`size` categories, the last one
    for rows outside every target) and `g[j]` the cumulative weight ratio of cell j just after
    this margin was adjusted.
    """

    category: np.ndarray
    size: int
    g: np.ndarray


class Raking:
    """R's backfitting approximation of the raking residuals (see the module docstring)."""

    method = "raking"

    def __init__(
        self,
        joint: np.ndarray,
        cells: int,
        base_weights: np.ndarray,
        steps: Sequence[RakingStep],
        diagnostics: CalibrationDiagnostics,
    ) -> None:
        self.joint = joint
        self.base_weights = base_weights
        self.steps = tuple(steps)
        self.diagnostics = diagnostics
        self.counts = np.bincount(joint[base_weights != 0], minlength=cells).astype(np.float64)
        self.to_cells = indicator(joint, cells)
        self.to_categories = [indicator(step.category, step.size) for step in self.steps]
        self.category_counts = [matrix @ self.counts for matrix in self.to_categories]

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        y = safe_divide(x, self.base_weights[:, None])
        cell_y = np.asarray(self.to_cells @ y)
        shift = np.zeros_like(cell_y)
        counts = self.counts[:, None]
        for _ in range(RAKING_SWEEPS):
            for step, to_categories, sizes in zip(
                self.steps, self.to_categories, self.category_counts, strict=True
            ):
                per_cell = safe_divide(cell_y - counts * shift, step.g[:, None])
                means = safe_divide(np.asarray(to_categories @ per_cell), sizes[:, None])
                shift += step.g[:, None] * means[step.category]
        return _like(x - self.base_weights[:, None] * shift[self.joint], scores)


class Regression:
    """Residuals on the calibration auxiliaries (R's ``greg_calibration`` branch)."""

    def __init__(
        self,
        method: str,
        basis: np.ndarray,
        weights: np.ndarray,
        diagnostics: CalibrationDiagnostics,
    ) -> None:
        self.method = method
        self.basis = basis
        self.weights = weights
        self.diagnostics = diagnostics

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        z = safe_divide(x, self.weights[:, None])
        residual = z - self.basis @ (self.basis.T @ z)
        return _like(residual * self.weights[:, None], scores)


class Trimming:
    """Trimmed weights: the variance formula is unchanged, only the diagnostics are kept."""

    method = "trim"

    def __init__(self, diagnostics: CalibrationDiagnostics) -> None:
        self.diagnostics = diagnostics

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        return scores
