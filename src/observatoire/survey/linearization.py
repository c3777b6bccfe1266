"""Taylor-linearisation variance of estimated totals, as R's `svyrecvar`.

Callers pass weighted influence values ("scores", R's `x` inside `svyrecvar`): one column per
estimated total, zero outside the domain. The variance is that of the sum of each column under
the design: calibration residuals first (once), then per stage the between-unit variance within
strata, with the finite-population factor (N - n) / N and n / (n - 1); with an fpc at a stage,
the next stage's within-unit variance is added, multiplied by the sampling fraction n / N of the
stages above (R's `multistage`). Strata with one unit follow the design's `lonely_psu` policy.

Everything is vectorised: rows are aggregated to units with a sparse indicator product, strata
and units are handled with array arithmetic, never a loop over rows, units or strata (centred
unit totals are accumulated over blocks of 65,536 units to bound memory). The sampling structure
of each stage is computed once per design and shared by its domains and calibrations; domain
means and totals on a calibrated design are computed from cell-level statistics of the
calibration's low-rank form (`calibrated_variance`), with the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from observatoire.survey.calibrated_variance import (
    CalibratedStage,
    calibrated_stage,
    calibrated_variances,
)
from observatoire.survey.calibration.adjustments import combined_low_rank
from observatoire.survey.design import Design, first_rows
from observatoire.survey.errors import SurveyError

_CENSUS = 1e-7
_BLOCK_ROWS = 1 << 16
_CHUNK_VALUES = 1 << 24  # scores built at once when domain variances fall back on rows


def indicator(codes: np.ndarray, size: int | None = None) -> sp.csr_matrix:
    """Sparse (groups × rows) 0/1 matrix: `indicator(codes) @ x` sums x by group."""
    n = codes.shape[0]
    groups = int(codes.max(initial=-1)) + 1 if size is None else size
    return sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(groups, n))


def adjusted_scores(design: Design, scores: np.ndarray) -> np.ndarray:
    """Scores residualised on every calibration of the design (R's postStrata handling)."""
    result = np.asarray(scores, dtype=np.float64)
    for adjustment in design.calibrations:
        result = np.asarray(adjustment.adjust(result), dtype=np.float64)
    return result


def total_variance(
    design: Design,
    scores: np.ndarray,
    *,
    covariance: bool = False,
    domain: np.ndarray | None = None,
) -> np.ndarray:
    """Variances (k,) — or the (k, k) covariance — of the column totals of `scores` (n, k).

    `domain` (a row mask) says the scores are those of one domain of a by-table: on a design
    without calibration, R's `svyby` computes each domain on a subset of the rows, so PSUs and
    strata without domain rows are absent for the lonely-PSU policies ("average" and
    `adjust_domain_lonely`).

    >>> import numpy as np, polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]})
    >>> design = Design.from_frame(frame)
    >>> y = frame["y"].to_numpy()
    >>> total_variance(design, (y - y.mean())[:, None]).round(4).tolist()
    [6.6667]
    """
    x = np.asarray(scores, dtype=np.float64)
    one_column = x.ndim == 1
    if one_column:
        x = x[:, None]
    if x.shape[0] != design.n:
        raise SurveyError(f"scores have {x.shape[0]} rows, the design {design.n}")
    x = adjusted_scores(design, x)
    if design.delta is not None:  # PPS without replacement: Horvitz–Thompson or Yates–Grundy
        result = design.delta.variance(x, covariance)
        return result[0] if one_column and not covariance else result
    k = x.shape[1]
    result = np.zeros((k, k)) if covariance else np.zeros(k)
    multiplier = np.ones(design.n)
    present = _present_rows(design)
    if domain is not None and not design.calibrations:
        present = present & domain
    for stage in range(_stages(design)):
        result = result + _stage_variance(design, stage, x, multiplier, present, covariance)
        population = design.fpc[stage]
        if population is None or stage + 1 == len(design.clusters):
            break
        multiplier = multiplier * design.units[stage] / population
    return result[0] if one_column and not covariance else result


def _stages(design: Design) -> int:
    """Stages whose variance counts: one with R's survey.ultimate.cluster."""
    return 1 if design.ultimate_cluster else len(design.clusters)


def per_domain_layout(design: Design) -> bool:
    """Whether each domain of a by-table needs its own strata layout (R's svyby subsets)."""
    if design.keeps_rows:
        return False
    return design.lonely_psu == "average" or (
        design.adjust_domain_lonely and design.lonely_psu == "adjust"
    )


def _present_rows(design: Design) -> np.ndarray:
    """Rows R still holds: a domain of a design is physically subset in R, unless the design
    keeps its rows (calibrated or PPS designs)."""
    if design.keeps_rows:
        return np.ones(design.n, dtype=bool)
    return design.in_domain & (design.weights != 0)


@dataclass(frozen=True)
class _Stage:
    """A stage's sampling structure, independent of the domain and the weights (cached)."""

    units: np.ndarray  # (n,) unit code per row
    unit_first: np.ndarray  # (m,) first row of each unit
    unit_stratum: np.ndarray  # (m,) stratum of each unit
    identity: bool  # every row is its own unit, in row order
    strata: np.ndarray  # (n,) stratum code per row
    n_h: np.ndarray  # (H,) units per stratum in the full design
    scale: np.ndarray  # (m,) f n_h / (n_h - 1), or f for one unit; 0 in a census stratum
    uniform: bool  # every unit of a stratum has the same scale (no PPS)
    lonely: np.ndarray  # (H,) one unit, not a census
    parent: np.ndarray  # (H,) unit of the stage above holding the stratum
    to_units: sp.csr_matrix | None  # (m, n) row-to-unit indicator (None for identity)
    to_strata: sp.csr_matrix  # (H, m) unit-to-stratum indicator


def _stage(design: Design, stage: int) -> _Stage:
    key = f"stage{stage}"
    if key not in design.structure:
        design.structure[key] = _build_stage(design, stage)
    result: _Stage = design.structure[key]
    return result


def _build_stage(design: Design, stage: int) -> _Stage:
    strata = design.stage_strata[stage]
    units = design.clusters[stage]
    n_h_rows = design.units[stage]
    population = design.fpc[stage]
    if population is None:
        fraction = np.ones(design.n)
    else:
        fraction = np.where(np.isinf(population), 1.0, (population - n_h_rows) / population)
    if stage == 0 and design.structure.get("rows_are_units"):  # no ids: unit i is row i
        unit_first, identity = np.arange(design.n), True
    else:
        unit_first = first_rows(units)
        identity = unit_first.shape[0] == design.n and bool(
            np.array_equal(unit_first, np.arange(design.n))
        )
    unit_stratum = strata[unit_first]
    n_units = unit_first.shape[0]
    n_strata = int(strata.max()) + 1
    stratum_first = first_rows(strata)
    n_h = n_h_rows[stratum_first]
    # The fpc factor of each unit: one per stratum, or 1 − π of each PSU (Brewer's PPS).
    f = fraction[unit_first]
    census = _all_by_group(fraction < _CENSUS, strata, n_strata)
    n_unit = n_h[unit_stratum]
    scale = np.where(n_unit > 1, f * n_unit / np.maximum(n_unit - 1, 1), f)
    scale[census[unit_stratum]] = 0.0
    parent = design.clusters[stage - 1][stratum_first] if stage else np.zeros(n_strata, np.int64)
    return _Stage(
        units=units,
        unit_first=unit_first,
        unit_stratum=unit_stratum,
        identity=identity,
        strata=strata,
        n_h=n_h,
        scale=scale,
        uniform=bool(np.array_equal(f, fraction[stratum_first][unit_stratum])),
        lonely=(n_h == 1) & ~census,
        parent=parent,
        to_units=None if identity else indicator(units, n_units),
        to_strata=indicator(unit_stratum, n_strata),
    )


@dataclass(frozen=True)
class _Layout:
    """A stage's structure with the weight of every unit's squared total (R's onestrat)."""

    stage: _Stage
    centre: np.ndarray  # (H,) whether unit totals are centred on the stratum mean
    unit_weight: np.ndarray  # (m,) factor × multiplier: the weight of a unit's squared total


def _layout(design: Design, stage: int, multiplier: np.ndarray, present: np.ndarray) -> _Layout:
    structure = _stage(design, stage)
    n_strata = structure.n_h.shape[0]
    policy = design.lonely_psu
    stratum_present = _any_by_group(present, structure.strata, n_strata)
    lonely_present = structure.lonely & stratum_present
    if np.any(lonely_present) and policy == "fail":
        code = int(np.flatnonzero(lonely_present)[0])
        where = (
            f"stratum {design.stratum_label(code)} has only one PSU"
            if stage == 0
            else f"unit {code + 1} of stage {stage} (in sorted order) has one sampled unit"
        )
        raise SurveyError(
            f"{where} at stage {stage + 1}; choose a lonely_psu policy "
            "(remove, adjust, average, certainty) or merge strata"
        )
    lonely = structure.lonely
    if design.adjust_domain_lonely and policy in ("adjust", "average"):
        # R's survey.adjust.domain.lonely: a stratum with one PSU holding domain rows (of
        # several in the design) is treated as a lonely one.
        unit_present = _any_by_group(present, structure.units, structure.unit_first.shape[0])
        holding = np.bincount(structure.unit_stratum, weights=unit_present, minlength=n_strata)
        lonely = lonely | ((holding == 1) & (structure.n_h > 1))
    centre = ~(lonely & (policy == "adjust"))
    # R's onestage rescales the strata it could use by nstrat / nokstrat ("average" policy),
    # separately within each unit of the stage above.
    usable = ~(lonely & (policy == "average"))
    parent = structure.parent
    n_parent = int(parent.max()) + 1
    nstrat = np.bincount(parent, weights=stratum_present, minlength=n_parent)
    nok = np.bincount(parent, weights=stratum_present & usable, minlength=n_parent)
    with np.errstate(divide="ignore", invalid="ignore"):
        rescale = np.where(nstrat > 0, nstrat / nok, 0.0)
    factor = np.where(usable, rescale[parent], 0.0)
    unit_weight = structure.scale * factor[structure.unit_stratum]
    if stage:
        unit_weight = unit_weight * multiplier[structure.unit_first]
    return _Layout(structure, centre, unit_weight)


def _stage_variance(
    design: Design,
    stage: int,
    x: np.ndarray,
    multiplier: np.ndarray,
    present: np.ndarray,
    covariance: bool,
) -> np.ndarray:
    """Between-unit variance at one stage, summed over its strata (R's `onestage`)."""
    layout = _layout(design, stage, multiplier, present)
    structure = layout.stage
    totals = x if structure.to_units is None else structure.to_units @ x
    n_h = structure.n_h
    means = np.where(layout.centre[:, None], (structure.to_strata @ totals) / n_h[:, None], 0.0)
    weight = layout.unit_weight
    k = totals.shape[1]
    result = np.zeros((k, k)) if covariance else np.zeros(k)
    # Centre block by block: the (units, k) centred copy never exists at once.
    for start in range(0, totals.shape[0], _BLOCK_ROWS):
        block = slice(start, start + _BLOCK_ROWS)
        centred = totals[block] - means[structure.unit_stratum[block]]
        if covariance:
            result += (centred * weight[block, None]).T @ centred
        else:
            result += np.einsum("i,ij,ij->j", weight[block], centred, centred)
    return result


def domain_variances(
    design: Design,
    y: np.ndarray,
    domain_weights: np.ndarray,
    centres: np.ndarray,
    scales: np.ndarray,
    *,
    covariance: bool = False,
    overwrite: bool = False,
    partition: np.ndarray | None = None,
) -> np.ndarray:
    """Variances (J·D,) or covariance (J·D, J·D) of the totals of w·1_d·(y_j − c_jd) / s_jd.

    These are the scores of domain means (c = mean, s = weighted base) and totals (c = 0,
    s = 1), for every variable j and domain d, in variable-major order. With one effective
    stage, this never builds the (n, J·D) score matrix: without calibration it works from
    sufficient statistics per unit and domain (sums of w·y and of w); with calibrations and
    disjoint domains (variances, or the covariance of one domain) from in-domain residuals and
    cell-level products (`calibrated_variance`). Otherwise it falls back on `total_variance`.
    Each domain's variance of an uncalibrated design treats its strata as R's `svyby` does (a
    domain is a subset of its own, which matters for the "average" lonely-PSU policy).
    `overwrite` lets it use `y` as workspace; `partition` (the domain of each row, -1 for none)
    says the domains are disjoint, which saves finding it out.
    """
    k, n_domains = y.shape[1], domain_weights.shape[1]
    single_stage = len(design.clusters) == 1 or design.fpc[0] is None or design.ultimate_cluster
    # Sufficient statistics need one factor per stratum: not with PPS designs.
    sufficient = single_stage and design.delta is None and _stage(design, 0).uniform
    per_domain = per_domain_layout(design)

    def scores(variables: slice) -> np.ndarray:
        """Scores of the variables × domains, variable-major, (n, len × D)."""
        if partition is None:
            block = domain_weights[:, None, :] * (y[:, variables, None] - centres[None, variables])
            block /= scales[None, variables]
            return block.reshape(design.n, -1)
        # Disjoint domains: each row has one nonzero score per variable (its domain's column).
        values = y[rows, variables] - centres[variables][:, member].T
        values *= weight_in_domain / scales[variables][:, member].T
        width = values.shape[1] * n_domains
        block = np.zeros((design.n, values.shape[1], n_domains))
        block[rows, :, member] = values
        return block.reshape(design.n, width)

    if partition is None:
        in_domains = domain_weights != 0
        membership = in_domains.sum(axis=1)
        if membership.max(initial=0) <= 1:
            partition = np.where(membership == 1, in_domains.argmax(axis=1), -1)
    if partition is not None:
        rows = np.flatnonzero(partition >= 0)
        member = partition[rows]
        weight_in_domain = domain_weights[rows, member][:, None]
    if (
        design.calibrations
        and sufficient
        and partition is not None
        and (not covariance or n_domains == 1)
    ):
        stage = _calibrated_stage(design)
        if stage is not None:
            return calibrated_variances(
                stage,
                y,
                domain_weights,
                partition,
                centres,
                scales,
                covariance=covariance,
                overwrite=overwrite,
            )
    if design.calibrations or not sufficient:
        if covariance:
            stacked = scores(slice(0, k))
            return np.atleast_2d(total_variance(design, stacked, covariance=True))
        if per_domain:  # each domain on its own rows, as R's svyby
            result = np.empty((k, n_domains))
            for d in range(n_domains):
                weight = domain_weights[:, d, None]
                own = weight * (y - centres[:, d]) / scales[:, d]
                result[:, d] = total_variance(design, own, domain=weight[:, 0] != 0)
            return result.reshape(-1)
        step = max(1, _CHUNK_VALUES // (design.n * n_domains))
        return np.concatenate(
            [
                np.atleast_1d(total_variance(design, scores(slice(j, j + step))))
                for j in range(0, k, step)
            ]
        )

    shared = _layout(design, 0, np.ones(design.n), _present_rows(design))
    structure = shared.stage
    n_strata = structure.n_h.shape[0]
    one_pass = not covariance and not per_domain and structure.to_units is None
    if one_pass and partition is not None:  # one row, one unit, one domain: a single pass
        workspace = y if overwrite else y.copy()
        return _partition_variances(shared, workspace, domain_weights, partition, centres, scales)
    units, totals, sums, weights, corrections = [], [], [], [], []
    for d in range(n_domains):
        layout = (
            _layout(design, 0, np.ones(design.n), domain_weights[:, d] != 0)
            if per_domain
            else shared
        )
        t, unit = _unit_scores(
            structure,
            y,
            domain_weights[:, d],
            centres[:, d],
            scales[:, d],
            in_place=overwrite and n_domains == 1,
        )
        to_strata = structure.to_strata if unit is None else None
        if to_strata is None:
            to_strata = indicator(structure.unit_stratum[unit], n_strata)
        factor_h = np.bincount(
            structure.unit_stratum, weights=layout.unit_weight, minlength=n_strata
        )
        units.append(unit)
        totals.append(t)
        sums.append(to_strata @ t)
        weights.append(layout.unit_weight if unit is None else layout.unit_weight[unit])
        corrections.append(np.where(layout.centre, factor_h / structure.n_h**2, 0.0))
    if not covariance:
        result = np.empty((k, n_domains))
        for d in range(n_domains):
            result[:, d] = weights[d] @ np.square(totals[d]) - corrections[d] @ np.square(sums[d])
        return result.reshape(-1)
    full = np.zeros((k, n_domains, k, n_domains))
    for d in range(n_domains):
        for e in range(d, n_domains):
            block = -(sums[d].T * corrections[d]) @ sums[e]
            if units[d] is None and units[e] is None and d == e:  # all units: a Gram matrix
                if n_domains == 1:  # the unit totals are not needed afterwards
                    root = totals[d]
                    root *= np.sqrt(weights[d])[:, None]
                else:
                    root = totals[d] * np.sqrt(weights[d])[:, None]
                block += root.T @ root
            elif units[d] is None and units[e] is None:
                block += (totals[d].T * weights[d]) @ totals[e]
            else:
                common, in_d, in_e = _common_units(units[d], units[e], structure)
                if common.size:
                    block += (totals[d][in_d].T * weights[d][in_d]) @ totals[e][in_e]
            full[:, d, :, e] = block
            full[:, e, :, d] = block.T
    return full.reshape(k * n_domains, k * n_domains)


def _calibrated_stage(design: Design) -> CalibratedStage | None:
    """The low-rank products of the design's calibrations (None if one has no low-rank form),
    cached in the shared structure for the latest calibration chain asked for."""
    key = (design.calibrations, design.lonely_psu)
    cached = design.structure.get("calibrated")
    if cached is not None and _same_chain(cached[0], key):
        result: CalibratedStage | None = cached[1]
        return result
    low_rank = combined_low_rank(design.calibrations, design.n)
    stage = None
    if low_rank is not None:
        stage = calibrated_stage(
            _layout(design, 0, np.ones(design.n), _present_rows(design)), low_rank
        )
    design.structure["calibrated"] = (key, stage)
    return stage


def _same_chain(first: tuple[Any, str], second: tuple[Any, str]) -> bool:
    """The same adjustment objects (identity, not equality) and lonely-PSU policy."""
    (chain, policy), (other, other_policy) = first, second
    return (
        policy == other_policy
        and len(chain) == len(other)
        and all(a is b for a, b in zip(chain, other, strict=True))
    )


def _partition_variances(
    layout: _Layout,
    y: np.ndarray,
    domain_weights: np.ndarray,
    code: np.ndarray,
    centres: np.ndarray,
    scales: np.ndarray,
) -> np.ndarray:
    """Variances when every row is its own unit and belongs to one domain at most (`code`,
    -1 for none), from sums over rows: with T = w (y - c) / s,

        sum of weight T^2 = (sum weight w^2 y^2 - 2 c sum weight w^2 y + c^2 sum weight w^2) / s^2

    and stratum sums of T = (sum w y - c sum w) / s. Works in place on `y` (five passes, no
    (n, J) temporary)."""
    structure = layout.stage
    n_domains = domain_weights.shape[1]
    rows = np.flatnonzero(code >= 0)
    member = code[rows]
    w = domain_weights[rows, member]
    omega = layout.unit_weight[rows]
    n_strata = structure.n_h.shape[0]
    cells = structure.unit_stratum[rows] * n_domains + member

    def grouped(groups: np.ndarray, size: int, values: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix((values, (groups, rows)), shape=(size, y.shape[0]))

    wy = y
    wy *= domain_weights.sum(axis=1)[:, None]  # rows outside every domain become 0
    cell_wy = (grouped(cells, n_strata * n_domains, np.ones(rows.shape[0])) @ wy).reshape(
        n_strata, n_domains, -1
    )
    cell_w = np.bincount(cells, weights=w, minlength=n_strata * n_domains).reshape(
        n_strata, n_domains
    )
    linear = grouped(member, n_domains, omega * w) @ wy  # sum weight w^2 y, (D, J)
    np.square(wy, out=wy)
    quadratic = grouped(member, n_domains, omega) @ wy  # sum weight w^2 y^2
    constant = np.bincount(member, weights=omega * w * w, minlength=n_domains)  # sum weight w^2
    c, s = centres.T, scales.T  # (D, J)
    squares = (quadratic - 2 * c * linear + c * c * constant[:, None]) / (s * s)
    sums = (cell_wy - c[None] * cell_w[:, :, None]) / s[None]
    factor_h = np.bincount(structure.unit_stratum, weights=layout.unit_weight, minlength=n_strata)
    correction = np.where(layout.centre, factor_h / structure.n_h**2, 0.0)
    result = squares - np.einsum("h,hdj->dj", correction, sums * sums)
    return np.asarray(result.T.reshape(-1))


def _unit_scores(
    structure: _Stage,
    y: np.ndarray,
    weights: np.ndarray,
    centre: np.ndarray,
    scale: np.ndarray,
    *,
    in_place: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Unit totals of w (y − c) / s, and which units they are (None: all units, in order);
    `in_place` lets rows-as-units scores overwrite `y`."""
    if structure.to_units is None:  # units are rows: keep the domain's rows only
        rows = np.flatnonzero(weights)
        whole = rows.shape[0] == weights.shape[0]
        if whole and in_place:
            t = y
            t -= centre
        else:
            t = (y if whole else y[rows]) - centre
        t *= (weights if whole else weights[rows])[:, None]
        t /= scale
        return t, None if whole else rows
    t = structure.to_units @ (weights[:, None] * y)
    t -= (structure.to_units @ weights)[:, None] * centre
    t /= scale
    return t, None


def _common_units(
    first: np.ndarray | None, second: np.ndarray | None, structure: _Stage
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Units present in both lists (None = all units), with their positions in each."""
    every = np.arange(structure.unit_first.shape[0])
    a = every if first is None else first
    b = every if second is None else second
    return np.intersect1d(a, b, assume_unique=True, return_indices=True)


def _any_by_group(flags: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(groups, weights=flags.astype(np.float64), minlength=size) > 0


def _all_by_group(flags: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    return ~_any_by_group(~flags, groups, size)


def degrees_of_freedom(design: Design) -> int:
    """Design degrees of freedom: PSUs minus strata among rows of the domain (R's `degf`).

    A replicate design has the rank of its replicate weights minus one, as R.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"s": [1, 1, 2, 2, 2], "psu": [1, 2, 3, 4, 4]})
    >>> design = Design.from_frame(frame, ids="psu", strata="s")
    >>> degrees_of_freedom(design), degrees_of_freedom(design.subset(pl.col("psu") != 1))
    (2, 1)
    """
    if design.replicates is not None:
        return design.replicates.degrees_of_freedom
    inset = design.in_domain & (design.weights != 0)
    psus = np.count_nonzero(np.bincount(design.clusters[0][inset]))
    strata = np.count_nonzero(np.bincount(design.strata[inset]))
    return int(psus - strata)
