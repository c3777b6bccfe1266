"""Variances of banner cells: of each cell, of each cell minus the rest, and between columns.

A banner has one estimate per question row × column, each a domain mean with the influence score
x = w·1[column]·(y − estimate)/base. Two ways to get their variances, with the same result:

* `generic_variances`: build the scores of a block of cells (n × k) and hand them to
  `linearization.total_variance`, which knows every design (clusters, stages, fpc, lonely PSUs,
  replicate weights, any calibration). Its cost grows as rows × cells.
* `sufficient_variances`, for the usual survey design (one stage, every respondent its own PSU,
  strata with at least two respondents), calibrated by any chain of post-stratification,
  raking, linear/logit calibration and trimming: every calibration adjustment has the form
  adjust(x) = x − P·Φ(M·x), with M (cells × n) summing rows into calibration cells (or onto
  the calibration basis), Φ a small linear map on cells and P (n × cells) spreading cell values
  back to rows. The variance of the residuals within strata then only needs, per column, sums
  by stratum of w·y, w, w²y², w²y, w² and the products M·(w·y), Pᵀ·(c_h·w·y), whatever the
  number of cells. With one calibration cell per row (raking, post-stratification, or none) the
  rows are read once into atoms (rows alike in stratum, cell and banner columns) and every
  column's sums are sums of atoms; with a dense basis (GREG, logit) the rows are read once per
  banner variable. The form x − P·Φ(M·x) is the calibration's own (`combined_low_rank`), so the
  calibration arithmetic is not duplicated; a chain of calibrations is handled the same way.

Both return the variances of the cells, of their differences with the rest of the sample, and
for each pair of columns of one banner variable the variance of their difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import sparse

from observatoire.survey.banner.answers import GATHER, SCATTER, AtomSums
from observatoire.survey.calibration.adjustments import LowRank, combined_low_rank
from observatoire.survey.design import Design
from observatoire.survey.linearization import total_variance

SCORE_MEMORY = 256 * 2**20
"""Bytes of influence scores handed to `total_variance` at once (bounds the generic path)."""
GRAM_COLUMNS = 256
"""Most score columns whose full covariance is asked at once (its cost grows as their square)."""
_CENSUS = 1e-7


@dataclass
class Cells:
    """Everything the variance of banner cells depends on (R rows × C columns).

    `values` (n × R, built from codes and tables when first needed, column-major) holds each
    question row's value, `answered` (n × Q) whether each respondent answered each question and
    `question_of_row` (R,) the question of each row; `groups` (C,) the banner variable of each
    column (−1 for Total), `by_variable` per variable (Total first) each row's column within it
    (−1: none) and its number of columns; `weights` and `indicators` (the columns' membership)
    are built from them when the variances need them per row. Estimates and bases are (R × C),
    with safe
    values (no NaN, no zero base) where a cell is empty. `codes` (n × Q) and `tables` describe
    the values by answer: `tables[q][codes[i, q]]` are respondent i's values of question q's
    rows, the last code of each question (no answer, zero weight) has zero values. `low_rank`
    is the design's calibration when the sufficient-statistics route applies (`variance_route`),
    and `atoms` the rows' sums by atom when they were grouped with `atom_parts`.
    """

    design: Design
    answered: np.ndarray
    question_of_row: np.ndarray
    groups: np.ndarray
    by_variable: list[tuple[np.ndarray, int]]
    estimate: np.ndarray
    base: np.ndarray
    rest_estimate: np.ndarray
    rest_base: np.ndarray
    codes: np.ndarray
    tables: list[np.ndarray]
    low_rank: LowRank | None
    atoms: AtomSums | None

    @cached_property
    def weights(self) -> np.ndarray:
        """(n × Q, column-major) the domain weight of respondents who answered each question."""
        return np.asfortranarray(self.answered * self.design.domain_weights[:, None])

    @cached_property
    def indicators(self) -> np.ndarray:
        """(n × C, column-major) whether each respondent is in each column."""
        return np.asfortranarray(
            np.column_stack(
                [codes[:, None] == np.arange(count) for codes, count in self.by_variable]
            )
        )

    @cached_property
    def values(self) -> np.ndarray:
        """(n × R) each respondent's value of each question row (0 without an answer)."""
        values = np.empty((self.codes.shape[0], self.question_of_row.size), order="F")
        for q, table in enumerate(self.tables):
            rows = np.flatnonzero(self.question_of_row == q)
            for j, row in enumerate(rows):
                values[:, row] = table[self.codes[:, q], j]
        return values

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores of the cells (r, c) and of their differences from the rest of the sample.

        The rest of the sample is the design's domain outside the column; the difference's
        score is the cell's minus the rest's, so its variance counts their covariance.
        """
        weighted = self.weights[:, self.question_of_row[rows]]
        values = self.values[:, rows]
        inside = self.indicators[:, cols]
        cell = weighted * (values - self.estimate[rows, cols]) / self.base[rows, cols]
        rest = weighted * (values - self.rest_estimate[rows, cols]) / self.rest_base[rows, cols]
        cell[~inside] = 0.0
        return cell, np.where(inside, cell, -rest)


@dataclass
class CellVariances:
    """Variances (R × C) of the cells and of (cell − rest), and pairwise (r, a, b, variance)."""

    cells: np.ndarray
    differences: np.ndarray
    pairs: np.ndarray


def _pair_index(groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each banner variable: its columns and the two sides of each of its pairs."""
    found = []
    for group in np.unique(groups[groups >= 0]):
        members = np.flatnonzero(groups == group)
        first, second = np.triu_indices(members.size, k=1)
        found.append((members, first, second))
    return found


def _pair_rows(r: int, a: np.ndarray, b: np.ndarray, variance: np.ndarray) -> np.ndarray:
    return np.column_stack([np.full(a.size, r), a, b, variance])


def generic_variances(cells: Cells, letters: bool) -> CellVariances:
    """Variances through `total_variance`, a block of cells at a time (any design).

    Arrays are column-major so that taking a block of columns is a contiguous copy.
    """
    design = cells.design
    block = max(1, SCORE_MEMORY // (16 * design.n))
    n_rows, n_columns = cells.estimate.shape
    rows, cols = (index.ravel() for index in np.indices((n_rows, n_columns)))
    variance = np.empty(n_rows * n_columns)
    rest_variance = np.empty(n_rows * n_columns)
    for start in range(0, rows.size, block):
        r, c = rows[start : start + block], cols[start : start + block]
        both = total_variance(design, np.concatenate(cells.scores(r, c), axis=1))
        variance[start : start + r.size] = both[: r.size]
        rest_variance[start : start + r.size] = both[r.size :]
    pairs: list[np.ndarray] = []
    for members, first, second in _pair_index(cells.groups) if letters else []:
        width = members.size
        per_call = max(1, min(block, GRAM_COLUMNS) // width)
        for start in range(0, n_rows, per_call):
            block_rows = np.arange(start, min(start + per_call, n_rows))
            scores, _ = cells.scores(
                np.repeat(block_rows, width), np.tile(members, block_rows.size)
            )
            covariance = total_variance(design, scores, covariance=True)
            for offset, r in enumerate(block_rows):
                span = slice(offset * width, (offset + 1) * width)
                local = covariance[span, span]
                var = local[first, first] + local[second, second] - 2 * local[first, second]
                pairs.append(_pair_rows(r, members[first], members[second], var))
    return CellVariances(
        variance.reshape(n_rows, n_columns),
        rest_variance.reshape(n_rows, n_columns),
        np.concatenate(pairs) if pairs else np.empty((0, 4)),
    )


# --- sufficient statistics ----------------------------------------------------------------------


def _low_rank(design: Design) -> LowRank | None:
    """The design's calibrations as one x − P·Φ(M·x) (None when one of them has no such form)."""
    return combined_low_rank(design.calibrations, design.n)


def _fast_path_applies(design: Design) -> bool:
    if design.replicates is not None or len(design.clusters) != 1 or design.pps is not None:
        return False
    if design.adjust_domain_lonely and design.lonely_psu in ("adjust", "average"):
        return False  # a column holding one respondent of a stratum changes its variance
    if not np.array_equal(design.clusters[0], np.arange(design.n)):
        return False
    return bool(np.all(design.units[0] >= 2))


def _stratum_factor(design: Design) -> tuple[np.ndarray, np.ndarray]:
    """Per stratum: n_h and R's multiplier f_h·n_h/(n_h − 1) (f_h = 1 − n_h/N_h with an fpc)."""
    strata = design.strata
    first = np.unique(strata, return_index=True)[1]
    n_h = design.units[0][first].astype(np.float64)
    population = design.fpc[0]
    if population is None:
        fraction = np.ones_like(n_h)
    else:
        size = population[first]
        fraction = np.where(np.isinf(size), 1.0, (size - n_h) / size)
        fraction[fraction < _CENSUS] = 0.0
    return n_h, fraction * n_h / (n_h - 1)


@dataclass
class _ColumnStatistics:
    """Sufficient statistics of one column's basis scores B1 = 1[c]·w·y and B2 = 1[c]·w."""

    y: np.ndarray  # (H × R) Σ_h B1
    w: np.ndarray  # (H × R) Σ_h B2
    yy: np.ndarray  # (R,) Σ_h c_h Σ B1²
    yw: np.ndarray  # (R,) Σ_h c_h Σ B1·B2
    ww: np.ndarray  # (R,) Σ_h c_h Σ B2²
    cells_y: np.ndarray  # (J × R) Φ(M·B1)
    cells_w: np.ndarray  # (J × R) Φ(M·B2)
    spread_y: np.ndarray  # (J × R) Pᵀ·(c_h·B1)
    spread_w: np.ndarray  # (J × R) Pᵀ·(c_h·B2)


def _grouped(
    code: np.ndarray, rows: np.ndarray, key: np.ndarray, data: np.ndarray, height: int
) -> sparse.csr_matrix:
    """(height × block rows) matrix summing, by `key`, `data` × the rows it names (code ≥ 0)."""
    keep = code[rows] >= 0
    return sparse.csr_matrix((data[keep], (key[keep], rows[keep])), shape=(height, code.size))


@dataclass
class _Block:
    """One block of rows, read by every banner variable: values, products, calibration maps."""

    part: slice
    strata: np.ndarray
    both: np.ndarray  # [w·y per question row, w per question]
    weighted_both: np.ndarray  # c_h × both
    squares: np.ndarray  # c_h·w²y², c_h·w²y per question row, c_h·w² per question
    gather: sparse.coo_matrix
    scatter: sparse.coo_matrix


class _Accumulator:
    """Sums of one banner variable's columns, block after block."""

    def __init__(
        self, codes: np.ndarray, count: int, strata: int, cells: int, rows: int, width: int
    ) -> None:
        self.codes, self.count, self.strata, self.cells = codes, count, strata, cells
        self.sums = np.zeros((count * strata, width))
        self.products = np.zeros((count, width + rows))
        self.cell_sums = np.zeros((count * cells, width))
        self.spread = np.zeros((count * cells, width))

    def add(self, block: _Block) -> None:
        code = self.codes[block.part]
        rows = np.arange(code.size)
        ones = np.ones(code.size)
        gather, scatter = block.gather, block.scatter
        self.sums += (
            _grouped(code, rows, code * self.strata + block.strata, ones, self.count * self.strata)
            @ block.both
        )
        self.products += _grouped(code, rows, code, ones, self.count) @ block.squares
        self.cell_sums += (
            _grouped(code, gather.col, gather.row + self.cells * code[gather.col], gather.data,
                     self.count * self.cells) @ block.both
        )  # fmt: skip
        self.spread += (
            _grouped(code, scatter.row, scatter.col + self.cells * code[scatter.row],
                     scatter.data, self.count * self.cells) @ block.weighted_both
        )  # fmt: skip


def _one_cell_per_row(
    low_rank: LowRank, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Each row's calibration cell and its gather and scatter values, when it has exactly one."""
    if low_rank.gather.shape[0] == 0:
        return np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n)
    if not (sparse.issparse(low_rank.gather) and sparse.issparse(low_rank.scatter)):
        return None
    gather = sparse.csc_matrix(low_rank.gather)
    scatter = sparse.csr_matrix(low_rank.scatter)
    single = np.all(np.diff(gather.indptr) == 1) and np.all(np.diff(scatter.indptr) == 1)
    if not (single and np.array_equal(gather.indices, scatter.indices)):
        return None
    return gather.indices.astype(np.int64), gather.data, scatter.data


class _Sufficient:
    """Variances of linear combinations of the basis scores from per-column statistics."""

    def __init__(self, cells: Cells, low_rank: LowRank) -> None:
        design = cells.design
        self.cells = cells
        self.low_rank = low_rank
        strata = design.strata
        self.n_strata = int(strata.max()) + 1
        n_h, factor = _stratum_factor(design)
        self.centring = factor / n_h  # c_h / n_h
        self.row_factor = factor[strata]
        scatter = low_rank.scatter
        to_strata = sparse.csr_matrix(
            (np.ones(design.n), (strata, np.arange(design.n))), shape=(self.n_strata, design.n)
        )
        self.spread_by_stratum = _dense(to_strata @ scatter)  # U: (H × J)
        self.gram = scatter.T @ (sparse.diags(self.row_factor) @ scatter)  # Pᵀ·c·P, sparse or not
        self.one_cell = _one_cell_per_row(low_rank, design.n)

    def _row_values(self, rows: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For some rows: [w·y, w], the same times c_h, and c_h·w²y², c_h·w²y, c_h·w²."""
        c = self.cells
        k, of = c.question_of_row.size, c.question_of_row
        w = c.weights[rows]
        y = w[:, of] * c.values[rows]
        both = np.concatenate([y, w], axis=1)
        weighted_both = self.row_factor[rows][:, None] * both
        squares = np.concatenate(
            [weighted_both[:, :k] * y, weighted_both[:, :k] * w[:, of], weighted_both[:, k:] * w],
            axis=1,
        )
        return both, weighted_both, squares

    def _block(self, part: slice) -> _Block:
        """One block of rows with its calibration maps, for the sums by variable."""
        both, weighted_both, squares = self._row_values(part)
        return _Block(
            part=part,
            strata=self.cells.design.strata[part],
            both=both,
            weighted_both=weighted_both,
            squares=squares,
            gather=sparse.coo_matrix(self.low_rank.gather[:, part]),
            scatter=sparse.coo_matrix(self.low_rank.scatter[part]),
        )

    def _steps(self, width: int) -> list[slice]:
        n = self.cells.design.n
        step = max(1, SCORE_MEMORY // (8 * 6 * width))
        return [slice(start, min(start + step, n)) for start in range(0, n, step)]

    def _by_rows(self, variables: list[tuple[np.ndarray, int]]) -> list[_Accumulator]:
        """Sums of every variable's columns, block of rows after block of rows."""
        c = self.cells
        k = c.question_of_row.size
        width = k + len(c.tables)
        size = self.low_rank.gather.shape[0]
        totals = [
            _Accumulator(codes, count, self.n_strata, size, k, width) for codes, count in variables
        ]
        for part in self._steps(width):
            block = self._block(part)
            for total in totals:
                total.add(block)
        return totals

    def _by_atoms(
        self, variables: list[tuple[np.ndarray, int]], cell: np.ndarray
    ) -> list[_Accumulator]:
        """The same sums through atoms: rows alike in stratum, calibration cell and columns.

        The atoms' sums by answer code (`Cells.atoms`, from `atom_parts`) are summed into every
        variable's columns. Needs each row in one calibration cell (raking,
        post-stratification or none).
        """
        c = self.cells
        assert c.atoms is not None  # built with atom_parts whenever one_cell is known
        k = c.question_of_row.size
        width = k + len(c.tables)
        size = self.low_rank.gather.shape[0]
        first = c.atoms.representative
        factor = self.row_factor[first]  # c_h, the same for every row of an atom
        stratum, cell_of_atom = c.design.strata[first], cell[first]
        index = np.arange(first.size)
        ones = np.ones(first.size)
        # Every variable's groupings stacked, so that each of the atoms' sums is read once.
        codes = [codes[first] for codes, _ in variables]
        counts = [count for _, count in variables]

        def stacked(keys: list[np.ndarray], heights: list[int], data: np.ndarray) -> Any:
            return sparse.vstack(
                [_grouped(code, index, key, data, height)
                 for code, key, height in zip(codes, keys, heights, strict=True)],
                format="csr",
            )  # fmt: skip

        def split(found: np.ndarray, heights: list[int]) -> list[np.ndarray]:
            return np.split(found, np.cumsum(heights)[:-1])

        h = self.n_strata
        heights = [n * h for n in counts]
        keys = [code * h + stratum for code in codes]
        by_stratum = split(c.atoms.linear(stacked(keys, heights, ones)), heights)
        products = split(c.atoms.squares(stacked(codes, counts, factor)), counts)
        if size:
            keys = [code * size + cell_of_atom for code in codes]
            heights = [n * size for n in counts]
            cell_sums = split(c.atoms.linear(stacked(keys, heights, ones), GATHER), heights)
            spread = split(c.atoms.linear(stacked(keys, heights, factor), SCATTER), heights)
        totals = []
        for v, (codes_v, count) in enumerate(variables):
            total = _Accumulator(codes_v, count, h, size, k, width)
            total.sums, total.products = by_stratum[v], products[v]
            if size:
                total.cell_sums, total.spread = cell_sums[v], spread[v]
            totals.append(total)
        return totals

    def statistics(self, variables: list[tuple[np.ndarray, int]]) -> list[_ColumnStatistics]:
        """Statistics of every column, variable by variable, in one read of the rows.

        `variables` gives, per banner variable, each row's column within it (−1: none) and its
        number of columns. Sums by stratum × column, by calibration cell × column and by column
        come from atoms when each row has one calibration cell, else from sparse products per
        variable over blocks of rows.
        """
        c = self.cells
        k = c.question_of_row.size
        of = c.question_of_row
        size = self.low_rank.gather.shape[0]
        h = self.n_strata
        width = k + len(c.tables)
        if self.one_cell is not None:
            totals = self._by_atoms(variables, self.one_cell[0])
        else:
            totals = self._by_rows(variables)
        found = []
        for total in totals:
            count = total.count
            cells = total.cell_sums.reshape(count, size, width).transpose(1, 0, 2)
            mapped = self.low_rank.kernel(cells.reshape(size, count * width))
            mapped = mapped.reshape(size, count, width)
            for level in range(count):
                block_rows = slice(level * h, (level + 1) * h)
                cells_rows = slice(level * size, (level + 1) * size)
                found.append(
                    _ColumnStatistics(
                        y=total.sums[block_rows, :k],
                        w=total.sums[block_rows, k:][:, of],
                        yy=total.products[level, :k],
                        yw=total.products[level, k : 2 * k],
                        ww=total.products[level, 2 * k :][of],
                        cells_y=mapped[:, level, :k],
                        cells_w=mapped[:, level, k:][:, of],
                        spread_y=total.spread[cells_rows, :k],
                        spread_w=total.spread[cells_rows, k:][:, of],
                    )
                )
        return found

    def combination(
        self, parts: list[tuple[np.ndarray, _ColumnStatistics, str]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stratum sums of residuals, Φ-cells and spread of Σ coefficient·basis score.

        `parts` lists (coefficient per question row, statistics, "y" or "w").
        """
        sums = sum(a * getattr(s, kind) for a, s, kind in parts)
        mapped = sum(a * getattr(s, f"cells_{kind}") for a, s, kind in parts)
        spread = sum(a * getattr(s, f"spread_{kind}") for a, s, kind in parts)
        residual_sums = sums - self.spread_by_stratum @ mapped
        return residual_sums, mapped, spread

    def covariance(
        self,
        one: tuple[np.ndarray, np.ndarray, np.ndarray],
        other: tuple[np.ndarray, np.ndarray, np.ndarray],
        squares: np.ndarray,
    ) -> np.ndarray:
        """Σ_h c_h [Σ e·e′ − Σe·Σe′/n_h] given Σ_h c_h Σ x·x′ (`squares`), per question row."""
        sums_a, mapped_a, spread_a = one
        sums_b, mapped_b, spread_b = other
        cross = (
            squares
            - np.einsum("jr,jr->r", spread_a, mapped_b)
            - np.einsum("jr,jr->r", spread_b, mapped_a)
            + np.einsum("jr,jr->r", mapped_a, _dense(self.gram @ mapped_b))
        )
        return cross - np.einsum("h,hr,hr->r", self.centring, sums_a, sums_b)


def _dense(matrix: Any) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


def sufficient_variances(cells: Cells, letters: bool, low_rank: LowRank) -> CellVariances:
    """Variances from per-column sufficient statistics (see the module docstring)."""
    engine = _Sufficient(cells, low_rank)
    n_rows, n_columns = cells.estimate.shape
    statistics = engine.statistics(cells.by_variable)
    total = statistics[0]
    variance = np.empty((n_rows, n_columns))
    rest_variance = np.full((n_rows, n_columns), np.nan)
    combinations = {}
    for c in range(n_columns):
        s = statistics[c]
        p, n = cells.estimate[:, c], cells.base[:, c]
        a1, a2 = 1 / n, -p / n
        combination = engine.combination([(a1, s, "y"), (a2, s, "w")])
        squares = a1 * a1 * s.yy + 2 * a1 * a2 * s.yw + a2 * a2 * s.ww
        variance[:, c] = engine.covariance(combination, combination, squares)
        combinations[c] = combination
        if cells.groups[c] < 0:
            continue
        rest_p, rest_n = cells.rest_estimate[:, c], cells.rest_base[:, c]
        b1, b2, b3, b4 = a1 + 1 / rest_n, a2 - rest_p / rest_n, -1 / rest_n, rest_p / rest_n
        difference = engine.combination(
            [(b1, s, "y"), (b2, s, "w"), (b3, total, "y"), (b4, total, "w")]
        )
        squares = (
            b1 * b1 * s.yy + 2 * b1 * b2 * s.yw + b2 * b2 * s.ww
            + 2 * (b1 * b3 * s.yy + b1 * b4 * s.yw + b2 * b3 * s.yw + b2 * b4 * s.ww)
            + b3 * b3 * total.yy + 2 * b3 * b4 * total.yw + b4 * b4 * total.ww
        )  # fmt: skip
        rest_variance[:, c] = engine.covariance(difference, difference, squares)
    pairs: list[np.ndarray] = []
    none = np.zeros(n_rows)
    for members, first, second in _pair_index(cells.groups) if letters else []:
        for a, b in zip(members[first], members[second], strict=True):
            covariance = engine.covariance(combinations[a], combinations[b], none)
            var = variance[:, a] + variance[:, b] - 2 * covariance
            pairs.append(
                np.column_stack([np.arange(n_rows), np.full(n_rows, a), np.full(n_rows, b), var])
            )
    return CellVariances(
        variance, rest_variance, np.concatenate(pairs) if pairs else np.empty((0, 4))
    )


def variance_route(design: Design) -> LowRank | None:
    """The calibrations as one x − P·Φ(M·x) when sufficient statistics apply, else None."""
    return _low_rank(design) if _fast_path_applies(design) else None


def atom_parts(
    design: Design, low_rank: LowRank | None
) -> tuple[list[tuple[np.ndarray, int]], tuple[np.ndarray, np.ndarray] | None]:
    """What atoms must keep apart for the variances besides banner columns, and calibration.

    With one calibration cell per row: the stratum and the cell, and each row's gather and
    scatter values (None without calibration); no parts when the variances are not computed
    from atoms.
    """
    one_cell = None if low_rank is None else _one_cell_per_row(low_rank, design.n)
    if low_rank is None or one_cell is None:
        return [], None
    cell, gathered, scattered = one_cell
    size = low_rank.gather.shape[0]
    parts = [(design.strata, int(design.strata.max()) + 1), (cell, max(size, 1))]
    return parts, (gathered, scattered) if size else None


def cell_variances(cells: Cells, letters: bool) -> CellVariances:
    """Sufficient statistics when the design allows it, else scores through total_variance."""
    if cells.low_rank is None:
        return generic_variances(cells, letters)
    return sufficient_variances(cells, letters, cells.low_rank)
