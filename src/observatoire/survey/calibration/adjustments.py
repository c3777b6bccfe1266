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

Every adjustment has the low-rank form x − P·Φ(M·x) (`LowRank`): a gather M summing rows into
a few cells (or onto the calibration basis), a small kernel Φ on cell values and a scatter P
spreading them back to rows. `adjust` is one pass reading the scores and one writing the
residuals; `low_rank` hands the three parts to variance code that works on cell-level sufficient
statistics instead (`combined_low_rank` chains the steps of a design). Scores of rows with zero
weight are zero; they are left out of the cell means where R would divide 0 by 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

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


@dataclass(frozen=True)
class LowRank:
    """An adjustment as x − scatter · kernel(gather · x).

    `gather` (cells × n) and `scatter` (n × cells) are SciPy sparse or dense arrays; `kernel`
    maps (cells × k) cell sums to the (cells × k) values the scatter spreads back to rows.
    """

    gather: Any
    scatter: Any
    kernel: Callable[[np.ndarray], np.ndarray]

    @property
    def size(self) -> int:
        return int(self.gather.shape[0])

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        x = _as_matrix(scores)
        fitted = self.scatter @ self.kernel(np.asarray(self.gather @ x))
        return _residual(x, np.asarray(fitted), scores)


def _stack(parts: Sequence[Any], horizontal: bool) -> Any:
    """Dense parts stacked as a dense array, anything sparse as a CSR matrix."""
    if not any(sparse.issparse(part) for part in parts):
        return np.hstack(parts) if horizontal else np.vstack(parts)
    stacked = sparse.hstack(parts) if horizontal else sparse.vstack(parts)
    return sparse.csr_matrix(stacked)


def combined_low_rank(adjustments: Sequence[Any], n: int) -> LowRank | None:
    """The low-rank form of adjustments applied in turn, or None if one has none.

    With cells values G_i = Φ_i(M_i·x_i) and x_i = x − Σ_{j<i} P_j·G_j, the chain is
    x − [P_1 … P_r]·G where G_i = Φ_i(M_i·x − Σ_{j<i} (M_i·P_j)·G_j): the small matrices M_i·P_j
    are computed once, so the kernel of the chain still works on cell values only.
    Adjustments that leave scores unchanged (trimming) have no cells and drop out; `n` is the
    number of rows (for a chain without cells).
    """
    parts: list[LowRank] = []
    for adjustment in adjustments:
        form = getattr(adjustment, "low_rank", None)
        if form is None:
            return None
        part = form()
        if part is not None:
            parts.append(part)
    if len(parts) == 1:
        return parts[0]
    bounds = np.cumsum([0, *(part.size for part in parts)])
    cross = [
        [_dense(part.gather @ earlier.scatter) for earlier in parts[:i]]
        for i, part in enumerate(parts)
    ]

    def kernel(cells: np.ndarray) -> np.ndarray:
        values: list[np.ndarray] = []
        for i, part in enumerate(parts):
            own = cells[bounds[i] : bounds[i + 1]]
            for product, earlier in zip(cross[i], values, strict=True):
                own = own - product @ earlier
            values.append(part.kernel(own))
        return np.vstack(values) if values else cells

    if not parts:
        return LowRank(sparse.csr_matrix((0, n)), sparse.csr_matrix((n, 0)), kernel)
    gather = _stack([part.gather for part in parts], horizontal=False)
    scatter = _stack([part.scatter for part in parts], horizontal=True)
    return LowRank(gather, scatter, kernel)


def _dense(matrix: Any) -> np.ndarray:
    return np.asarray(matrix.toarray() if sparse.issparse(matrix) else matrix)


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

    def kernel(self, cells: np.ndarray) -> np.ndarray:
        """Old-weighted cell means of x/w from the cell sums."""
        return cells * self.cell_scale

    def low_rank(self) -> LowRank:
        return LowRank(self.to_cells, self.to_rows, self.kernel)

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        return self.low_rank().adjust(scores)


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

    @cached_property
    def _categories(self) -> tuple[Any, Any, np.ndarray, np.ndarray]:
        """The sweeps' maps in the margins' categories (S of them, all margins stacked).

        A sweep over margin m adds to every cell g_m times the mean over its category of
        (y − counts·shift) / g_m, so after any number of steps the shift is U·a: U (cells × S)
        holds g_m at each cell's category in margin m, and a (S × k) the category means
        accumulated so far. The means of margin m are then N_m·y − P_m·a, with N_m (size_m ×
        cells) the mean over the category of values divided by g_m and P_m = N_m·diag(counts)·U:
        the sweeps run on a, never on the cells. Returns N, U, P and the margins' offsets in S.
        """
        offsets = np.cumsum([0, *(step.size for step in self.steps)])
        cells = self.counts.shape[0]
        reduce, expand = [], []
        for step, to_categories, sizes in zip(
            self.steps, self.to_categories, self.category_counts, strict=True
        ):
            inverse_g = safe_divide(np.ones(cells), step.g)
            inverse_size = safe_divide(np.ones(step.size), sizes)
            reduce.append(sparse.diags(inverse_size) @ to_categories @ sparse.diags(inverse_g))
            expand.append(
                sparse.csr_matrix(
                    (step.g, (np.arange(cells), step.category)), shape=(cells, step.size)
                )
            )
        means = sparse.csr_matrix(sparse.vstack(reduce))
        spread = sparse.csr_matrix(sparse.hstack(expand))
        feedback = _dense(means @ sparse.diags(self.counts) @ spread)
        return means, spread, feedback, offsets

    def kernel(self, cell_y: np.ndarray) -> np.ndarray:
        """Each joint cell's total shift after R's backfitting sweeps, from the cells' sums of
        x / w₀; the sweeps run on the margins' categories (see `_categories`)."""
        means, spread, feedback, offsets = self._categories
        start = np.asarray(means @ cell_y)  # N·y, (S × k)
        accumulated = np.zeros_like(start)
        for _ in range(RAKING_SWEEPS):
            for m in range(len(self.steps)):
                own = slice(offsets[m], offsets[m + 1])
                accumulated[own] += start[own] - feedback[own] @ accumulated
        return np.asarray(spread @ accumulated)

    def low_rank(self) -> LowRank:
        return LowRank(self.to_cells, self.to_rows, self.kernel)

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        return self.low_rank().adjust(scores)


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

    @staticmethod
    def kernel(cells: np.ndarray) -> np.ndarray:
        """Coordinates on the orthonormal basis need no further map."""
        return cells

    def low_rank(self) -> LowRank:
        return LowRank(self.project.T, self.expand, self.kernel)

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        return self.low_rank().adjust(scores)


class Trimming:
    """Trimmed weights: the variance formula is unchanged, only the diagnostics are kept."""

    method = "trim"

    def __init__(self, diagnostics: CalibrationDiagnostics) -> None:
        self.diagnostics = diagnostics

    def low_rank(self) -> None:
        """No cells: trimming leaves the scores alone."""
        return None

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        return scores
