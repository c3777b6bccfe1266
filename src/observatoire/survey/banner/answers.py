"""Sums over respondents grouped by atom and answer code, for every question of a banner.

A banner's sums over respondents (bases, totals, the variances' sufficient statistics) depend on
a respondent only through its atom (the group of respondents the sums must keep apart: alike in
banner columns, and in stratum and calibration cell for the variances) and its answer to each
question. Summing per-respondent quantities (1, w, w², ...) by atom × answer code, then
multiplying by each question's table of row values per code, gives the sums of every question
row without building one value column per row: a group-by on integer codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

DENSE_LIMIT = 2**20
"""Atom × code cells summed in a dense array (beyond that, and beyond 4 per row: sparse)."""


def atoms_of(parts: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's atom (rows alike in every part) and the first row of each atom.

    `parts` gives codes (0 ≤ code < radix) and radix. The parts are combined into one int64 key,
    renumbered on the way whenever the next part would overflow it.
    """
    key = np.zeros(parts[0][0].size, dtype=np.int64)
    span = 1
    for codes, radix in parts:
        if span * radix >= 2**62:
            _, key = np.unique(key, return_inverse=True)
            span = int(key.max()) + 1
        key = key * radix + codes
        span *= radix
    _, first, atom = np.unique(key, return_index=True, return_inverse=True)
    return atom.astype(np.int64), first


def column_codes(indicators: np.ndarray, groups: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Per banner variable (Total first): each row's column within it (−1: none) and its count."""
    variables = []
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        inside = indicators[:, members]
        variables.append((np.where(inside.any(axis=1), inside.argmax(axis=1), -1), members.size))
    return variables


def by_answer(
    atom: np.ndarray,
    atoms: int,
    code: np.ndarray,
    values: np.ndarray,
    quantities: Sequence[np.ndarray],
) -> np.ndarray:
    """Sums by atom of each quantity times each column of `values` (codes × columns) taken at
    the row's code: (quantities × atoms × columns).

    The quantities are first summed by atom × code (a dense count when small, else sparse),
    then multiplied by `values` in one product (one BLAS call rather than one per quantity).
    """
    height = values.shape[0]
    grouped: Any
    if atoms * height <= max(4 * atom.size, DENSE_LIMIT):
        key = atom * height + code
        grouped = np.concatenate(
            [np.bincount(key, weights=x, minlength=atoms * height) for x in quantities]
        ).reshape(len(quantities) * atoms, height)
    else:
        grouped = sparse.vstack(
            [sparse.csr_matrix((x, (atom, code)), shape=(atoms, height)) for x in quantities],
            format="csr",
        )
    return np.asarray(grouped @ values).reshape(len(quantities), atoms, values.shape[1])


def answer_values(table: np.ndarray) -> np.ndarray:
    """A question's row values per code followed by a column of ones (answered), zero for the
    last code (no answer), so that sums by code times it give Σ·y per row and Σ per question."""
    values = np.column_stack([table, np.ones(table.shape[0])])
    values[-1] = 0.0
    return values
