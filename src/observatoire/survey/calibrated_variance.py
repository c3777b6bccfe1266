"""Variances of domain means and totals on a calibrated one-stage design, from cell statistics.

Calibration residualises the scores: x̃ = x − P·G with G = Φ(M·x) (cells × k), the low-rank form
of the design's adjustments (`calibration.adjustments.combined_low_rank`). The scores of domain
means and totals, x = 1_d·w·(y − c)/s, are nonzero on one domain per row, so with unit totals
T = U·x, V = U·P, unit weights ω, strata sums S and their factors c_h (`linearization._Layout`),
the one-stage variance of column (j, d) splits into the units with rows in d and the others:

    Σ_{u in d} ω_u (T_u − V_u·G)² + Gᵀ·Λ_{not d}·G − Σ_h c_h (S·T̃)²_h,
    Λ_{not d} = Σ_{u not in d} ω_u V_uᵀ·V_u,   S·T̃ = S_d·(T − V·G) − S_{not d}·V·G.

The first term needs the in-domain residuals, one (rows × variables) array for all domains
(each row is residualised with its own domain's cell values); the others are cell-level
products computed per group of units. No term is a difference of large sums, so the result
keeps the accuracy of `linearization.total_variance` on the materialised n × (variables ×
domains) scores even for variables the calibration reproduces (standard errors near zero),
at the cost of a few sequential passes over the rows whatever the number of domains or cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from observatoire.survey.calibration.adjustments import LowRank

if TYPE_CHECKING:
    from observatoire.survey.linearization import _Layout


def _dense(matrix: Any) -> np.ndarray:
    return np.asarray(matrix.toarray() if sparse.issparse(matrix) else matrix)


def _variable_major(sums: np.ndarray, size: int, n_domains: int) -> np.ndarray:
    """(size·D, J) sums keyed (group, domain) → (size, J·D), columns variable-major."""
    width = sums.shape[1]
    return sums.reshape(size, n_domains, width).transpose(0, 2, 1).reshape(size, width * n_domains)


def _group(
    keys: np.ndarray, size: int, values: np.ndarray, data: np.ndarray | None = None
) -> np.ndarray:
    """Σ data_i·values_i by key, (size, J): one sequential read of `values` (a compressed
    column matrix with one entry per row)."""
    count = keys.shape[0]
    weights = np.ones(count) if data is None else data
    matrix = sparse.csc_matrix((weights, keys, np.arange(count + 1)), shape=(size, count))
    return np.asarray(matrix @ values)


def _by_domain(matrix: Any, member: np.ndarray, n_domains: int, values: np.ndarray) -> np.ndarray:
    """(L, J·D) sums Σ_{i in domain d} matrix[l, i]·values[i, j] for an (L × rows) matrix.

    A sparse matrix is re-keyed to rows (l, d) in compressed-column form, so that one product
    reads `values` once, in order; a dense one (a regression basis) is multiplied domain by
    domain.
    """
    size, width = matrix.shape[0], values.shape[1]
    if n_domains == 1:
        return np.asarray(matrix @ values)
    if sparse.issparse(matrix):
        columns = sparse.csc_matrix(matrix)
        owner = np.repeat(member, np.diff(columns.indptr))
        keyed = sparse.csc_matrix(
            (columns.data, columns.indices * n_domains + owner, columns.indptr),
            shape=(size * n_domains, matrix.shape[1]),
        )
        return _variable_major(np.asarray(keyed @ values), size, n_domains)
    result = np.empty((size, n_domains, width))
    for d in range(n_domains):
        inside = member == d
        result[:, d] = np.asarray(matrix)[:, inside] @ values[inside]
    return result.transpose(0, 2, 1).reshape(size, width * n_domains)


_BLOCK_ROWS = 1 << 16


@dataclass(frozen=True)
class CalibratedStage:
    """What the variance needs of a calibrated one-stage design, whatever the scores."""

    layout: _Layout
    low_rank: LowRank
    spread: Any  # V = U·P, (units × cells)
    weighted_spread: sparse.csc_matrix | np.ndarray  # (Ω·V)ᵀ, (cells × units)
    correction: np.ndarray  # (strata,) c_h: the weight of a stratum's squared sum


def calibrated_stage(layout: _Layout, low_rank: LowRank) -> CalibratedStage:
    """The design-level products of `calibrated_variances` (computed once per design)."""
    structure = layout.stage
    omega = layout.unit_weight
    scatter = low_rank.scatter
    spread = scatter if structure.to_units is None else structure.to_units @ scatter
    if sparse.issparse(spread):
        rows = sparse.csr_matrix(spread)  # read as compressed columns, it is Vᵀ: scale, no copy
        scaled = rows.data * np.repeat(omega, np.diff(rows.indptr))
        weighted = sparse.csc_matrix(
            (scaled, rows.indices, rows.indptr), shape=(rows.shape[1], rows.shape[0])
        )
    else:
        weighted = np.ascontiguousarray((spread * omega[:, None]).T)
    n_strata = structure.n_h.shape[0]
    factor_h = np.bincount(structure.unit_stratum, weights=omega, minlength=n_strata)
    return CalibratedStage(
        layout=layout,
        low_rank=low_rank,
        spread=spread,
        weighted_spread=weighted,
        correction=np.where(layout.centre, factor_h / structure.n_h**2, 0.0),
    )


def _domain_scores(
    y: np.ndarray,
    rows: np.ndarray,
    member: np.ndarray,
    domain_weights: np.ndarray,
    centres: np.ndarray,
    scales: np.ndarray,
    overwrite: bool,
) -> np.ndarray:
    """w (y − c_d) / s_d for the rows of a domain, each in its own domain's columns (rows × J),
    a block of rows at a time so that the per-row centres and scales stay small."""
    whole = rows.shape[0] == y.shape[0]
    values = y if whole and overwrite else np.empty((rows.shape[0], y.shape[1]))
    uniform = bool(np.all(scales == scales[:1]))  # one scale per domain (means, totals)
    if centres.shape[1] == 1 and uniform:  # one domain: the same centre and scale for all
        np.subtract(y if whole else y[rows], centres[:, 0], out=values)
        values *= (domain_weights[rows, 0] / scales[0, 0])[:, None]
        return values
    centre_of, scale_of = np.ascontiguousarray(centres.T), np.ascontiguousarray(scales.T)
    for start in range(0, rows.shape[0], _BLOCK_ROWS):
        part = slice(start, start + _BLOCK_ROWS)
        domain = member[part]
        out = values[part]
        np.subtract(y[part] if whole else y[rows[part]], centre_of[domain], out=out)
        weight = domain_weights[rows[part], domain]
        if uniform:
            out *= (weight / scale_of[domain, 0])[:, None]
        else:
            out *= weight[:, None] / scale_of[domain]
    return values


def _group_products(
    stage: CalibratedStage, group: np.ndarray, size: int, outside: list[list[int]]
) -> list[tuple[Any, np.ndarray]]:
    """For each list of groups in `outside`: Vᵀ·Ω·V over the units of those groups (cells ×
    cells, sparse diagonal when every unit has one cell) and their stratum sums of V (H, L);
    `group` gives each unit's group (`size` of them)."""
    structure = stage.layout.stage
    spread, weighted = stage.spread, stage.weighted_spread
    cells = weighted.shape[0]
    n_strata = structure.n_h.shape[0]
    if isinstance(weighted, sparse.csc_matrix) and np.all(np.diff(weighted.indptr) == 1):
        # one cell per unit (post-stratification, raking): each group's Vᵀ·Ω·V is diagonal
        cell, value = weighted.indices, sparse.csr_matrix(spread).data
        diagonal = np.bincount(
            group * cells + cell, weights=weighted.data * value, minlength=size * cells
        ).reshape(size, cells)
        sums = np.bincount(
            (group * n_strata + structure.unit_stratum) * cells + cell,
            weights=value,
            minlength=size * n_strata * cells,
        ).reshape(size, n_strata, cells)
        return [
            (sparse.diags(diagonal[groups].sum(axis=0)), sums[groups].sum(axis=0))
            for groups in outside
        ]
    strata = _group_matrix(structure.unit_stratum * size + group, n_strata * size)
    sums = _dense(strata @ spread).reshape(n_strata, size, cells).transpose(1, 0, 2)
    if isinstance(weighted, sparse.csc_matrix):
        owner = np.repeat(group, np.diff(weighted.indptr))
        keyed = sparse.csc_matrix(
            (weighted.data, weighted.indices * size + owner, weighted.indptr),
            shape=(cells * size, weighted.shape[1]),
        )
        grams = _dense(keyed @ spread).reshape(cells, size, cells).transpose(1, 0, 2)
    else:
        grams = np.empty((size, cells, cells))
        for g in range(size):
            inside = group == g
            grams[g] = weighted[:, inside] @ spread[inside]
    return [(grams[groups].sum(axis=0), sums[groups].sum(axis=0)) for groups in outside]


def _group_matrix(keys: np.ndarray, size: int) -> sparse.csc_matrix:
    """(size × len(keys)) 0/1 matrix summing columns by key."""
    count = keys.shape[0]
    return sparse.csc_matrix((np.ones(count), keys, np.arange(count + 1)), shape=(size, count))


def calibrated_variances(
    stage: CalibratedStage,
    y: np.ndarray,
    domain_weights: np.ndarray,
    partition: np.ndarray,
    centres: np.ndarray,
    scales: np.ndarray,
    *,
    covariance: bool = False,
    overwrite: bool = False,
) -> np.ndarray:
    """Variances (J·D,) of the totals of the adjusted scores of w·1_d·(y_j − c_jd) / s_jd,
    variable-major, for disjoint domains (`partition`: the domain of each row, −1 for none),
    or with `covariance` and one domain their (J, J) covariance. `overwrite` lets it use `y`
    as workspace."""
    structure = stage.layout.stage
    n_domains = domain_weights.shape[1]
    if covariance and n_domains != 1:
        raise ValueError("covariances across domains need the score matrix")
    k = y.shape[1]
    rows = np.flatnonzero(partition >= 0)
    member = partition[rows]
    whole = rows.shape[0] == y.shape[0]
    values = _domain_scores(y, rows, member, domain_weights, centres, scales, overwrite)
    gather = stage.low_rank.gather if whole else stage.low_rank.gather[:, rows]
    adjusted = stage.low_rank.kernel(_by_domain(gather, member, n_domains, values))  # G = Φ(M·x)

    n_units = structure.unit_first.shape[0]
    if structure.to_units is None:  # rows are units: (unit, domain) pairs are the rows
        pair_unit, pair_domain, totals = rows, member, values
        if n_domains == 1 and rows.shape[0] == n_units:  # no unit outside the domain
            cells = stage.weighted_spread.shape[0]
            outside = [
                (sparse.csr_matrix((cells, cells)), np.zeros((structure.n_h.shape[0], cells)))
            ]
        else:
            unit_group = np.full(n_units, n_domains)
            unit_group[rows] = member
            others = [[g for g in range(n_domains + 1) if g != d] for d in range(n_domains)]
            outside = _group_products(stage, unit_group, n_domains + 1, others)
    else:
        key = structure.units[rows] * n_domains + member
        seen = np.zeros(n_units * n_domains, dtype=bool)
        seen[key] = True
        pair_key = np.flatnonzero(seen)
        pair_unit, pair_domain = pair_key // n_domains, pair_key % n_domains
        index = np.cumsum(seen) - 1
        totals = _group(index[key], pair_key.shape[0], values)
        touched = seen.reshape(n_units, n_domains)
        outside = [
            _group_products(stage, (~touched[:, d]).astype(np.int64), 2, [[1]])[0]
            for d in range(n_domains)
        ]
    _subtract_fitted(stage, pair_unit, pair_domain, n_domains, adjusted, totals)
    residual, weight = totals, stage.layout.unit_weight[pair_unit]
    n_strata = structure.n_h.shape[0]
    stratum_key = structure.unit_stratum[pair_unit] * n_domains + pair_domain
    stratum_sums = _variable_major(
        _group(stratum_key, n_strata * n_domains, residual), n_strata, n_domains
    )
    outside_squares = np.empty((k, n_domains))
    for d, (gram, spread_sums) in enumerate(outside):
        fitted = adjusted[:, d::n_domains]
        stratum_sums[:, d::n_domains] -= spread_sums @ fitted
        outside_squares[:, d] = np.einsum("lj,lj->j", fitted, gram @ fitted)
    correction = stage.correction
    if covariance:  # one domain
        gram, _ = outside[0]
        inside = np.zeros((k, k))
        root_weight = np.sqrt(weight)  # unit weights are never negative
        for start in range(0, residual.shape[0], _BLOCK_ROWS):
            root = (
                residual[start : start + _BLOCK_ROWS]
                * root_weight[start : start + _BLOCK_ROWS, None]
            )
            inside += root.T @ root  # a symmetric product: half the work
        return np.asarray(
            inside + adjusted.T @ (gram @ adjusted) - (stratum_sums.T * correction) @ stratum_sums
        )
    inside = np.zeros((n_domains, k))
    for start in range(0, residual.shape[0], _BLOCK_ROWS):
        part = slice(start, start + _BLOCK_ROWS)
        inside += _group(pair_domain[part], n_domains, np.square(residual[part]), weight[part])
    return np.asarray(
        inside.T.reshape(-1) + outside_squares.reshape(-1) - correction @ np.square(stratum_sums)
    )


def _subtract_fitted(
    stage: CalibratedStage,
    pair_unit: np.ndarray,
    pair_domain: np.ndarray,
    n_domains: int,
    adjusted: np.ndarray,
    totals: np.ndarray,
) -> None:
    """totals −= V·G restricted to each (unit, domain) pair's own domain, in place: the
    residual unit totals inside the domains (a block of pairs at a time)."""
    spread = stage.spread
    every_unit = pair_unit.shape[0] == spread.shape[0]
    rows = spread if every_unit else spread[pair_unit]
    if not sparse.issparse(rows):
        for d in range(n_domains):
            own = pair_domain == d
            totals[own] -= rows[own] @ adjusted[:, d::n_domains]
        return
    rows = sparse.csr_matrix(rows)
    cells, width = adjusted.shape[0], adjusted.shape[1] // n_domains
    keys = rows.indices * n_domains + np.repeat(pair_domain, np.diff(rows.indptr))
    stacked = adjusted.reshape(cells, width, n_domains).transpose(0, 2, 1).reshape(-1, width)
    bounds = rows.indptr
    for start in range(0, totals.shape[0], _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, totals.shape[0])
        low, high = bounds[start], bounds[stop]
        block = sparse.csr_matrix(
            (rows.data[low:high], keys[low:high], bounds[start : stop + 1] - low),
            shape=(stop - start, cells * n_domains),
        )
        totals[start:stop] -= block @ stacked
