"""Sums of values by integer cell code: the one aggregation every calibration step needs."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def indicator(codes: np.ndarray, size: int) -> sparse.csc_matrix:
    """The (size, n) 0/1 matrix of cell membership, for summing many columns in one product
    (compressed by column: one entry per row, built without sorting)."""
    n = len(codes)
    return sparse.csc_matrix((np.ones(n), codes, np.arange(n + 1)), shape=(size, n))


def group_sums(codes: np.ndarray, size: int, values: np.ndarray) -> np.ndarray:
    """Sum of `values` by cell: (size,) for a vector, (size, k) for an (n, k) matrix."""
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=size)
    if values.shape[1] == 1:
        return np.bincount(codes, weights=values[:, 0], minlength=size)[:, None]
    return np.asarray(indicator(codes, size) @ values)


def safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (empty cells, zero-weight rows)."""
    out = np.zeros(np.broadcast_shapes(numerator.shape, denominator.shape))
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out
