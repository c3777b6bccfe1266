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


def atoms_of(parts: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's atom (rows alike in every part) and one row of each atom.

    `parts` gives codes (−1 ≤ code < radix, −1 for none) and radix. The parts are combined into
    one int64 key, renumbered densely (by a count over the key's range, no sort) whenever the
    next part would take the key past 4 codes per row; atoms come in the order of their key.
    """
    n = parts[0][0].size
    limit = max(4 * n, 1 << 16)
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for codes, radix in parts:
        if span * (radix + 1) > limit:
            key, span = _dense(key, span)
        key *= radix + 1
        key += codes
        key += 1
        span *= radix + 1
    atom, atoms = _dense(key, span)
    representative = np.empty(atoms, dtype=np.int64)
    representative[atom] = np.arange(n)  # any row of an atom will do: they are alike
    return atom, representative


def _dense(key: np.ndarray, span: int) -> tuple[np.ndarray, int]:
    """`key` renumbered 0..m−1 over the values present, keeping their order."""
    if span > max(4 * key.size, 1 << 16):
        values, dense = np.unique(key, return_inverse=True)
        return dense.reshape(-1).astype(np.int64), int(values.size)
    present = np.bincount(key, minlength=span) > 0
    renumber = np.cumsum(present) - 1
    return renumber[key], int(renumber[-1]) + 1


class _Grouping:
    """What every question's grouping by atom × answer code shares: each row's atom and the
    constant parts of a compressed-column matrix with one entry per row."""

    def __init__(self, atom: np.ndarray, atoms: int) -> None:
        self.atom, self.atoms = atom, atoms
        # 32-bit indices when they fit: SciPy would otherwise copy them into 32 bits itself.
        self.index = np.int32 if (atoms + 1) * 256 < 2**31 and atom.size < 2**31 else np.int64
        self.ones = np.ones(atom.size)
        self.pointers = np.arange(atom.size + 1, dtype=self.index)
        self.scaled: dict[int, np.ndarray] = {}  # atom × number of codes, per number of codes
        self.key = np.empty(atom.size, dtype=self.index)

    def by_answer(self, code: np.ndarray, values: np.ndarray, quantities: np.ndarray) -> np.ndarray:
        """Sums by atom of each quantity (columns of `quantities`, n × m) times each column of
        `values` (codes × columns) taken at the row's code: (m × atoms × columns).

        The quantities are summed by atom × code in one pass over the rows (nothing to sort),
        then multiplied by `values`.
        """
        height = values.shape[0]
        if height not in self.scaled:
            self.scaled[height] = (self.atom * height).astype(self.index)
        key = np.add(self.scaled[height], code, out=self.key, casting="unsafe")
        grouping = sparse.csc_matrix(
            (self.ones, key, self.pointers), shape=(self.atoms * height, key.size), copy=False
        )
        grouped = np.asarray(grouping @ quantities)  # (atoms·codes × m)
        by_quantity = np.ascontiguousarray(grouped.T).reshape(-1, height)  # (m·atoms × codes)
        return (by_quantity @ values).reshape(-1, self.atoms, values.shape[1])


def answer_values(table: np.ndarray) -> np.ndarray:
    """A question's row values per code, a column of ones (answered) and the squared row
    values, all zero for the last code (no answer): sums by code times it give Σ·y per row,
    Σ per question and Σ·y² per row."""
    values = np.column_stack([table, np.ones(table.shape[0]), table**2])
    values[-1] = 0.0
    return values


W, W2, GATHER, SCATTER = 1, 2, 3, 4
"""Quantities summed per respondent: 1, w, w², and w times the calibration gather and scatter."""


@dataclass
class AtomSums:
    """Sums by atom and question (R question rows in all, Q questions), read through sparse
    (targets × atoms) matrices that sum atoms into banner cells.

    `representative` is one row of each atom; `blocks[q]` (m × atoms × (2 r_q + 1)) holds, for
    question q with r_q rows and each quantity summed (1, w, w², ...), the sums of quantity·y
    per row, of the quantity over answers and of quantity·y² per row. Kept per question:
    interleaving the questions' columns over every atom would cost more than all the products
    that read them. `calibration` says where the calibration's quantities (w·gather,
    w·scatter) are: a block (its index) times a factor per atom, or a block of their own.
    """

    representative: np.ndarray
    blocks: list[np.ndarray]
    sizes: list[int]
    calibration: tuple[tuple[int, np.ndarray | None], ...] = ()

    def _read(self, matrix: Any, quantity: int) -> list[tuple[np.ndarray, int]]:
        """Σ over atoms by `matrix` of one quantity's block of every question (a product with
        its contiguous columns, parts of the result taken afterwards), with the sizes."""
        if quantity >= GATHER:
            quantity, factor = self.calibration[quantity - GATHER]
            if factor is not None:
                matrix = matrix @ sparse.diags(factor)
        found = [np.asarray(matrix @ block[quantity]) for block in self.blocks]
        return list(zip(found, self.sizes, strict=True))

    def counts(self, matrix: Any) -> np.ndarray:
        """(targets × Q) number of respondents who answered each question."""
        return np.column_stack([f[:, size] for f, size in self._read(matrix, 0)])

    def linear(self, matrix: Any, quantity: int = W) -> np.ndarray:
        """(targets × (R + Q)) Σ quantity·y per question row, then Σ quantity per question."""
        found = self._read(matrix, quantity)
        rows = [f[:, :size] for f, size in found]
        return np.hstack([*rows, *(f[:, size : size + 1] for f, size in found)])

    def squares(self, matrix: Any) -> np.ndarray:
        """(targets × (2R + Q)) Σw²y² per question row, Σw²y per question row, Σw² per question."""
        found = self._read(matrix, W2)
        return np.hstack(
            [
                *(f[:, size + 1 :] for f, size in found),
                *(f[:, :size] for f, size in found),
                *(f[:, size : size + 1] for f, size in found),
            ]
        )


def _as_factor(
    product: np.ndarray, base: np.ndarray, atom: np.ndarray, representative: np.ndarray
) -> np.ndarray | None:
    """The factor a (one per atom) with product = a × base on every row, if there is one.

    Calibrations with one cell per row make w·gather and w·scatter such multiples of 1, w or
    w² within a cell (raking: w·gather is the cell's g, w·scatter = w² / g), so their sums come
    from those of 1, w and w² instead of being summed over the rows again.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = product / base  # rows of zero weight: NaN, and nothing to sum
    factor = np.nan_to_num(ratio[representative])
    ratio -= factor[atom]
    deviation = np.nanmax(np.abs(ratio) / np.maximum(np.abs(factor[atom]), 1e-300), initial=0.0)
    return factor if deviation <= 1e-12 else None


def atom_sums(
    parts: Sequence[tuple[np.ndarray, int]],
    weights: np.ndarray,
    codes: np.ndarray,
    tables: Sequence[np.ndarray],
    calibration: tuple[np.ndarray, np.ndarray] | None,
) -> AtomSums:
    """Group the rows into atoms (alike in every part) and sum them by answer code."""
    atom, representative = atoms_of(parts)
    grouping = _Grouping(atom, representative.size)
    columns = [np.ones(atom.size), weights, weights * weights]
    where: list[tuple[int, np.ndarray | None]] = []
    for value in calibration or ():
        product = value * weights
        for index in range(3):
            factor = _as_factor(product, columns[index], atom, representative)
            if factor is not None:
                where.append((index, factor))
                break
        else:
            columns.append(product)
            where.append((len(columns) - 1, None))
    quantities = np.column_stack(columns)  # (n × m), read once per question
    blocks = [
        grouping.by_answer(codes[:, q], answer_values(table), quantities)
        for q, table in enumerate(tables)
    ]
    return AtomSums(representative, blocks, [table.shape[1] for table in tables], tuple(where))
