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

Every adjustment is one pass reading the scores and one writing the residuals (sparse or dense
products prepared at calibration time). Scores of rows with zero weight are zero; they are left
out of the cell means where R would divide 0 by 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from observatoire.survey.calibration.cells import safe_divide
from observatoire.survey.calibration.diagnostics import CalibrationDiagnostics

RAKING_SWEEPS = 10
"""Backfitting sweeps R's ``svyrecvar`` makes over the margins of a raked design."""


def _as_matrix(scores: np.ndarray) -> np.ndarray:
    return scores[:, None] if scores.ndim == 1 else scores


def _residual(x: np.ndarray, fitted: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """x − fitted, written over `fitted` (one n × k allocation per adjustment, not two),
    shaped like `scores`."""
    result = np.asarray(fitted)
    np.subtract(x, result, out=result)
    return result[:, 0] if scores.ndim == 1 else result


def _gather(codes: np.ndarray, size: int, values: np.ndarray) -> sparse.csc_matrix:
    """(size, n) matrix: its product with x sums ``values * x`` by cell, in one pass over x
    (built directly in compressed-column form: one entry per row, nothing to sort)."""
    n = len(codes)
    return sparse.csc_matrix((values, codes, np.arange(n + 1)), shape=(size, n), dtype=np.float64)


def _scatter(codes: np.ndarray, size: int, values: np.ndarray) -> sparse.csr_matrix:
    """(n, size) matrix: its product with cell values c gives ``values * c[cell]`` per row."""
    n = len(codes)
    return sparse.csr_matrix((values, codes, np.arange(n + 1)), shape=(n, size), dtype=np.float64)


class PostStratification:
    """Residuals on post-stratification cells (R's ordinary ``postStratify`` branch):
    x − w · (Σ_cell x·w_old/w) / Σ_cell w_old."""

    method = "poststratify"

    def __init__(
        self,
        codes: np.ndarray,
        cells: int,
        old_weights: np.ndarray,
        new_weights: np.ndarray,
        diagnostics: CalibrationDiagnostics,
    ) -> None:
        new = np.where((new_weights == 0) & (old_weights == 0), 1.0, new_weights)
        totals = np.bincount(codes, weights=old_weights, minlength=cells)
        self.to_cells = _gather(codes, cells, safe_divide(old_weights, new))
        self.cell_scale = safe_divide(np.ones(cells), totals)[:, None]
        self.to_rows = _scatter(codes, cells, new)
        self.diagnostics = diagnostics

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        means = np.asarray(self.to_cells @ x) * self.cell_scale
        return _residual(x, self.to_rows @ means, scores)


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
    """R's backfitting approximation of the raking residuals (see the module docstring).

    With y = x / w₀ (w₀ the weights before raking), every sweep subtracts from y a value that
    depends only on the row's joint cell, so the sweeps run on cell totals of y and the rows
    are read once (`to_cells`) and written once (`to_rows`).
    """

    method = "raking"

    def __init__(
        self,
        joint: np.ndarray,
        cells: int,
        base_weights: np.ndarray,
        steps: Sequence[RakingStep],
        diagnostics: CalibrationDiagnostics,
    ) -> None:
        self.steps = tuple(steps)
        self.diagnostics = diagnostics
        self.counts = np.bincount(joint[base_weights != 0], minlength=cells).astype(np.float64)
        self.to_cells = _gather(joint, cells, safe_divide(np.ones_like(base_weights), base_weights))
        self.to_rows = _scatter(joint, cells, base_weights)
        self.to_categories = [
            _gather(step.category, step.size, np.ones(cells)) for step in self.steps
        ]
        self.category_counts = [matrix @ self.counts for matrix in self.to_categories]

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        cell_y = np.asarray(self.to_cells @ x)
        shift = np.zeros_like(cell_y)
        counts = self.counts[:, None]
        for _ in range(RAKING_SWEEPS):
            for step, to_categories, sizes in zip(
                self.steps, self.to_categories, self.category_counts, strict=True
            ):
                per_cell = safe_divide(cell_y - counts * shift, step.g[:, None])
                means = safe_divide(np.asarray(to_categories @ per_cell), sizes[:, None])
                shift += step.g[:, None] * means[step.category]
        return _residual(x, self.to_rows @ shift, scores)


class Regression:
    """Residuals on the calibration auxiliaries (R's ``greg_calibration`` branch):
    ``qr.resid(qr, x / w) * w`` = x − (w Q) (Q / w)ᵀ x, with Q an orthonormal basis of the
    auxiliaries times √(old weight); two matrix products, no temporary per row. `basis` is
    taken over (scaled in place)."""

    def __init__(
        self,
        method: str,
        basis: np.ndarray,
        weights: np.ndarray,
        diagnostics: CalibrationDiagnostics,
    ) -> None:
        self.method = method
        self.project = safe_divide(basis, weights[:, None])
        basis *= weights[:, None]
        self.expand = basis
        self.diagnostics = diagnostics

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        return _residual(x, self.expand @ (self.project.T @ x), scores)


class Trimming:
    """Trimmed weights: the variance formula is unchanged, only the diagnostics are kept."""

    method = "trim"

    def __init__(self, diagnostics: CalibrationDiagnostics) -> None:
        self.diagnostics = diagnostics

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        return scores
