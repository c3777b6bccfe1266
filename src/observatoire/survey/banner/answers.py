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
from dataclasses import dataclass
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


@dataclass
class AtomSums:
    """Sums by atom, for every question row (R) and question (Q), in the variances' layout.

    `counts` (atoms × Q) Σ1 over answers; `linear` (atoms × (R + Q)) Σw·y per row then Σw per
    question; `squares` (atoms × (2R + Q)) Σw²y², Σw²y, Σw²; `spread` the sums Σg·w·[y, 1] and
    Σs·w·[y, 1] with each row's calibration gather g and scatter s (empty without them).
    """

    first: np.ndarray
    counts: np.ndarray
    linear: np.ndarray
    squares: np.ndarray
    spread: list[np.ndarray]


def atom_sums(
    parts: Sequence[tuple[np.ndarray, int]],
    weights: np.ndarray,
    codes: np.ndarray,
    tables: Sequence[np.ndarray],
    question_of_row: np.ndarray,
    calibration: tuple[np.ndarray, np.ndarray] | None,
) -> AtomSums:
    """Group the rows into atoms (alike in every part) and sum them by answer code."""
    atom, first = atoms_of(parts)
    atoms, k, n_questions = first.size, question_of_row.size, len(tables)
    quantities = [np.ones(weights.size), weights, weights * weights]
    if calibration is not None:
        quantities += [gather * weights for gather in calibration]
    counts = np.zeros((atoms, n_questions))
    linear = np.zeros((atoms, k + n_questions))
    squares = np.zeros((atoms, 2 * k + n_questions))
    spread = [np.zeros((atoms, k + n_questions)) for _ in quantities[3:]]
    for q, table in enumerate(tables):
        rows = np.flatnonzero(question_of_row == q)
        values = answer_values(table)
        values = np.column_stack([values, values[:, :-1] ** 2])  # then y² per row
        grouped = by_answer(atom, atoms, codes[:, q], values, quantities)
        both, answer = np.append(rows, k + q), slice(0, rows.size + 1)
        counts[:, q] = grouped[0, :, rows.size]
        linear[:, both] = grouped[1, :, answer]
        squares[:, rows] = grouped[2, :, rows.size + 1 :]
        squares[:, k + rows] = grouped[2, :, : rows.size]
        squares[:, 2 * k + q] = grouped[2, :, rows.size]
        for sums, found in zip(spread, grouped[3:], strict=True):
            sums[:, both] = found[:, answer]
    return AtomSums(first, counts, linear, squares, spread)
