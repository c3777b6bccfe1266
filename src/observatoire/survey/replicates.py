"""Replicate-weight designs: jackknife (JK1, JKn), BRR, bootstrap, or weights read from columns.

The variance of any statistic is `scale * sum_r rscales_r * (theta_r - centre)^2`, with the
centre the mean of the replicates, or the full-sample estimate when `mse` is true (R's
`svrVar`). Built from a design, replicates follow R's `as.svrepdesign`: JK1 deletes one PSU at
a time and folds a first-stage fpc into `scale`; JKn deletes one PSU per stratum with
rscales (n_h - 1) / n_h times the stratum fpc factor; BRR uses a Hadamard matrix (one
half-sample per row, strata with exactly two PSUs); the bootstrap resamples n_h PSUs with
replacement per stratum, from a seeded NumPy generator (R's random numbers cannot be
reproduced, so seeded bootstraps agree with R in distribution, not replicate by replicate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Literal, get_args

import numpy as np
import polars as pl
import scipy.linalg

from observatoire.survey.design import Design, as_polars, dense_codes
from observatoire.survey.errors import SurveyError, number

ReplicateType = Literal["auto", "JK1", "JKn", "BRR", "Fay", "bootstrap"]
ColumnsType = Literal["JK1", "JKn", "BRR", "Fay", "bootstrap", "other"]
REPLICATE_TYPES: tuple[ColumnsType, ...] = get_args(ColumnsType)
_MAX_VALUES = 500_000_000  # replicate weights held at once (4 GB of float64)


@dataclass(frozen=True)
class ReplicateWeights:
    """Full replicate weights (n, R), already multiplied by the sampling weights."""

    weights: np.ndarray
    scale: float
    rscales: np.ndarray
    mse: bool
    type: str

    @property
    def count(self) -> int:
        """Number of replicates."""
        return int(self.weights.shape[1])

    @cached_property
    def degrees_of_freedom(self) -> int:
        """Rank of the replicate weights minus one (R's `degf` for replicate designs: the rank
        of `qr(weights, tol=1e-5)`), from the eigenvalues of their (R, R) Gram matrix."""
        gram = self.weights.T @ self.weights
        eigenvalues = np.linalg.eigvalsh(gram)
        return int(np.count_nonzero(eigenvalues > eigenvalues.max() * 1e-10)) - 1

    def variance(self, replicates: np.ndarray, estimate: np.ndarray) -> np.ndarray:
        """Covariance (k, k) of estimates (k,) from their replicates (R, k), as R's `svrVar`."""
        thetas = np.asarray(replicates, dtype=np.float64)
        keep = ~np.any(np.isnan(thetas), axis=1)
        if not np.any(keep):
            raise SurveyError("every replicate gave a missing result")
        thetas, rscales = thetas[keep], self.rscales[keep]
        centre = estimate if self.mse else thetas[rscales > 0].mean(axis=0)
        deviations = (thetas - centre) * np.sqrt(rscales)[:, None]
        return np.asarray(deviations.T @ deviations * self.scale)


def as_replicate(
    design: Design,
    type: ReplicateType = "auto",
    replicates: int | None = None,
    seed: int | None = None,
    *,
    fay_rho: float = 0.0,
    mse: bool = False,
) -> Design:
    """A replicate-weight version of a linearisation design (R's `as.svrepdesign`).

    `type="auto"` (R's default) is JK1 for a design without strata, JKn with strata. `"Fay"`
    (or `"BRR"` with `fay_rho` > 0) is Fay's method: balanced half-samples whose weights are
    multiplied by 2 − ρ and ρ instead of 2 and 0.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"psu": [1, 1, 2, 3], "w": [2.0, 2.0, 3.0, 3.0]})
    >>> rep = as_replicate(Design.from_frame(frame, ids="psu", weights="w"))
    >>> rep.replicates.type, rep.replicates.weights.shape, round(rep.replicates.scale, 4)
    ('JK1', (4, 3), 0.6667)
    """
    if design.replicates is not None:
        raise SurveyError("the design already has replicate weights")
    if design.delta is not None:
        raise SurveyError("replicate weights from a PPS design need pps='brewer' or none")
    if type == "auto":
        type = "JKn" if design.has_strata else "JK1"
    if not number(fay_rho) or not 0 <= fay_rho < 1:
        raise SurveyError(f"Fay's rho must be in (0, 1), not {fay_rho!r}", field="fay_rho")
    if replicates is not None and (not isinstance(replicates, int) or replicates < 1):
        raise SurveyError(
            f"replicates must be a positive whole number, not {replicates!r}", field="replicates"
        )
    if type == "BRR" and fay_rho:
        type = "Fay"
    if type == "Fay" and fay_rho == 0:
        raise SurveyError("Fay's rho must be in (0, 1), not 0", field="fay_rho")
    stratified = design.has_strata
    psu = design.clusters[0]
    population = design.fpc[0]
    n_psu = int(psu.max()) + 1
    if type in ("JK1", "JKn") and n_psu * design.n > _MAX_VALUES:
        raise SurveyError(
            f"a jackknife needs one replicate per PSU: {n_psu} replicates of {design.n} rows is "
            "too many; use clusters, or a bootstrap with fewer replicates"
        )
    if type == "JK1":
        if stratified:
            raise SurveyError("JK1 needs an unstratified design; use JKn for a stratified one")
        factors, scale, rscales = _jk1(psu, population)
    elif type == "JKn":
        if not stratified:
            raise SurveyError("JKn needs a stratified design; use JK1 or bootstrap")
        factors, scale, rscales = _jkn(design, psu, population)
    elif type in ("BRR", "Fay"):
        if not stratified:
            raise SurveyError(f"{type} needs a stratified design with two PSUs per stratum")
        factors, scale, rscales = _brr(design, psu, fay_rho)
    elif type == "bootstrap":
        factors, scale, rscales = _bootstrap(design, psu, population, replicates or 50, seed)
    else:
        raise SurveyError(
            f"unknown replicate type {type!r}; use auto, JK1, JKn, BRR, Fay or bootstrap"
        )
    weights = factors * design.weights[:, None]  # factors: (n, R) replicate multipliers
    rep = ReplicateWeights(weights=weights, scale=scale, rscales=rscales, mse=mse, type=type)
    return replace(design, replicates=rep)


def _unit_table(design: Design, psu: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense PSU index per row, stratum per PSU, and first row of every PSU."""
    index = dense_codes(psu)
    first = np.unique(index, return_index=True)[1]
    return index, design.strata[first], first


def _jk1(psu: np.ndarray, population: np.ndarray | None) -> tuple[np.ndarray, float, np.ndarray]:
    index = dense_codes(psu)
    n = int(index.max()) + 1
    factor = 1.0
    if population is not None:
        sizes = np.unique(population)
        if sizes.shape[0] > 1:
            raise SurveyError("JK1 needs a single fpc value for the whole sample")
        factor = (sizes[0] - n) / sizes[0]
    unit = np.full((n, n), n / (n - 1))
    np.fill_diagonal(unit, 0.0)
    return unit[index], factor * (n - 1) / n, np.ones(n)


def _jkn(
    design: Design, psu: np.ndarray, population: np.ndarray | None
) -> tuple[np.ndarray, float, np.ndarray]:
    """R's `jknweights`: one replicate per PSU; strata with one PSU follow `lonely_psu`."""
    index, unit_stratum, first = _unit_table(design, psu)
    counts = np.bincount(unit_stratum)[unit_stratum]
    fpc_factor = np.ones(first.shape[0])
    if population is not None:
        fpc_factor = (population[first] - counts) / population[first]
    lonely = (counts == 1) & (fpc_factor != 0)
    if lonely.any() and design.lonely_psu == "fail":
        label = design.stratum_label(int(unit_stratum[lonely][0]))
        raise SurveyError(
            f"stratum {label} has only one PSU: JKn cannot delete it; choose a lonely_psu policy"
        )
    # Replicate r deletes PSU r: its stratum's other PSUs get n_h / (n_h - 1), others 1.
    same = unit_stratum[:, None] == unit_stratum[None, :]
    inflate = counts / np.maximum(counts - 1, 1)
    unit = np.where(same, inflate[None, :], 1.0)
    np.fill_diagonal(unit, 0.0)
    rscales = fpc_factor * (counts - 1) / counts
    n_strata = int(unit_stratum.max()) + 1
    if design.lonely_psu == "adjust":  # the lonely PSU's replicate drops its stratum
        unit[:, lonely] = np.where(same[:, lonely], 0.0, n_strata / (n_strata - 1))
        rscales[lonely] = (n_strata - 1) / n_strata
        return unit[index], 1.0, rscales
    keep = ~lonely
    scale = first.shape[0] / keep.sum() if design.lonely_psu == "average" else 1.0
    return unit[index][:, keep], float(scale), rscales[keep]


_PRECOMPUTED_SIZES = (4, 16, 28, 36)  # R's hadamard.list: Sylvester 4 and 16, then 28 and 36
_LARGEST_PRIME = 7919  # R's paley() knows the primes p = 3 (mod 4) up to this one


def _sylvester(order: int) -> np.ndarray:
    """Sylvester's Hadamard matrix as 0/1 (R's doubling of its 4 × 4 matrix)."""
    return np.asarray(scipy.linalg.hadamard(order) > 0, dtype=np.float64)


def _double(matrix: np.ndarray) -> np.ndarray:
    """R's hadamard.doubler: [[H, H], [H, 1 - H]]."""
    return np.block([[matrix, matrix], [matrix, 1 - matrix]])


def _is_prime_3_mod_4(p: int) -> bool:
    return p % 4 == 3 and p <= _LARGEST_PRIME and all(p % d for d in range(2, int(p**0.5) + 1))


def _paley_prime(p: int) -> np.ndarray:
    """Paley's construction of order p + 1 (0/1, bordered by ones) exactly as R's paley()."""
    sums = np.add.outer(np.arange(p), np.arange(p)) % p
    residues = {0, 1} | {i * i % p for i in range(2, (p - 1) // 2 + 1)}
    core = np.where(np.isin(sums, list(residues)), 0.0, 1.0)
    return np.block([[np.ones((1, 1)), np.ones((1, p))], [np.ones((p, 1)), core]])


def _paley(n: int, n_max: int) -> np.ndarray | None:
    """R's paley(n, nmax): a Paley matrix (possibly doubled) of order >= n + 1, or None."""
    ceiling = size = n + 4 - n % 4
    if n % 4 + 4 == n % 8:
        while size % 8 == 0:
            size //= 2
        if _is_prime_3_mod_4(size - 1):
            matrix = _paley_prime(size - 1)
            while size < ceiling:
                matrix, size = _double(matrix), size * 2
            return matrix
    if n > _LARGEST_PRIME:
        return None
    p = next(q for q in range(n, _LARGEST_PRIME + 1) if _is_prime_3_mod_4(q))
    if p + 1 > ceiling + 4 and ceiling + 4 < n_max:
        return _paley(ceiling + 3, 2 * (ceiling + 3))
    if p > n_max:
        return None
    return _paley_prime(p)


def hadamard(n: int) -> np.ndarray:
    """The 0/1 Hadamard matrix R's `hadamard(n)` gives for n strata (order > n).

    Sylvester and Paley matrices (and their doublings) are R's exactly; where R would use its
    precomputed 28 × 28 or 36 × 36 matrices, a Sylvester matrix of the next power of two is
    used instead (another valid BRR design with more replicates).
    """
    m = n - n % 4
    sizes = np.array(_PRECOMPUTED_SIZES)
    precooked = np.flatnonzero((m < sizes) & (m + 4 >= sizes))
    if precooked.size:
        index = int(precooked.min())
    elif np.all(m < sizes):
        index = 0
    else:
        doublings = np.maximum(0, np.ceil(np.log2((n + 1) / sizes))).astype(int)
        fitted = sizes * 2**doublings
        index = int(np.argmin(fitted - n))
        if fitted[index] - n > 4:
            matrix = _paley(n, int(fitted[index]))
            if matrix is not None:
                return matrix
        if index <= 1:
            return _sylvester(int(fitted[index]))
    if index <= 1:
        return _sylvester(_PRECOMPUTED_SIZES[index])
    order = 1
    while order < n + 1:
        order *= 2
    return _sylvester(order)


def _brr(design: Design, psu: np.ndarray, rho: float) -> tuple[np.ndarray, float, np.ndarray]:
    """R's `brrweights` for strata of two PSUs: stratum k (strata sorted as text) follows row
    k + 1 of the Hadamard matrix; the first PSU (in data order) of a stratum gets 2 − ρ where
    the matrix holds +1, the second where it holds -1, the other ρ (ρ = 0: BRR)."""
    index, unit_stratum, first = _unit_table(design, psu)
    counts = np.bincount(unit_stratum)
    if np.any(counts != 2):
        label = design.stratum_label(int(np.flatnonzero(counts != 2)[0]))
        raise SurveyError(f"BRR needs exactly two PSUs per stratum; stratum {label} differs")
    n_strata = counts.shape[0]
    labels = [design.stratum_label(code) for code in range(n_strata)]
    text_rank = np.argsort(np.argsort(np.array(labels, dtype=str), kind="stable"))
    matrix = 2 * hadamard(n_strata).T[:, 1 : n_strata + 1] - 1  # replicates × strata, ±1
    order = np.lexsort((first, unit_stratum))  # by stratum, then first appearance
    second = np.zeros(unit_stratum.shape[0], dtype=bool)
    second[order[1::2]] = True
    signs = matrix[:, text_rank[unit_stratum]].T * (1 - rho)
    unit = np.where(second[:, None], 1 - signs, 1 + signs)
    scale = 1.0 / (matrix.shape[0] * (1 - rho) ** 2)
    return unit[index], scale, np.ones(matrix.shape[0])


def _bootstrap(
    design: Design, psu: np.ndarray, population: np.ndarray | None, count: int, seed: int | None
) -> tuple[np.ndarray, float, np.ndarray]:
    """R's `bootweights`: per stratum, n_h PSUs drawn with replacement (without replacement
    from the PSUs repeated up to the population size when there is an fpc)."""
    index, unit_stratum, first = _unit_table(design, psu)
    rng = np.random.default_rng(seed)
    unit = np.zeros((first.shape[0], count))
    for stratum in range(int(unit_stratum.max()) + 1):
        members = np.flatnonzero(unit_stratum == stratum)
        n_h = members.shape[0]
        if population is None:
            draws = rng.integers(0, n_h, size=(count, n_h))
        else:
            pool = np.resize(np.arange(n_h), round(float(population[first[members[0]]])))
            draws = np.stack([rng.permutation(pool)[:n_h] for _ in range(count)])
        offsets = (np.arange(count) * n_h)[:, None]
        times = np.bincount((draws + offsets).ravel(), minlength=count * n_h)
        unit[members] = times.reshape(count, n_h).T
    psu_per_stratum = 1 / np.mean(1 / np.bincount(unit_stratum))
    scale = psu_per_stratum / ((psu_per_stratum - 1) * (count - 1))
    return unit[index], float(scale), np.ones(count)


def from_columns(
    frame: Any,
    weights: str | None,
    replicate_columns: Sequence[str],
    type: ColumnsType,
    combined_weights: bool = True,
    scale: float | None = None,
    rscales: Sequence[float] | float | None = None,
    mse: bool = False,
    *,
    rho: float | None = None,
) -> Design:
    """A design from published replicate-weight columns (R's `svrepdesign`).

    Defaults follow R: BRR scale 1/R; Fay 1/(R (1 − rho)²), `rho` required; bootstrap
    1/(R - 1); JK1 (R - 1)/R; rscales 1.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"y": [1.0, 2.0], "r1": [2.0, 0.0], "r2": [0.0, 2.0]})
    >>> from_columns(frame, None, ["r1", "r2"], "BRR", combined_weights=False).replicates.scale
    0.5
    """
    data = as_polars(frame)
    if type not in REPLICATE_TYPES:
        raise SurveyError(f"unknown replicate type {type!r}; use one of {REPLICATE_TYPES}")
    if not replicate_columns:
        raise SurveyError("no replicate weight columns given")
    columns = []
    for name in replicate_columns:
        if name not in data.columns:
            raise SurveyError("replicate weight column not found", column=name)
        column = data.get_column(name)
        if column.null_count() or not column.dtype.is_numeric():
            raise SurveyError("replicate weights must be numbers without gaps", column=name)
        columns.append(column.cast(pl.Float64).to_numpy())
    matrix = np.stack(columns, axis=1)
    count = matrix.shape[1]
    design = Design.from_frame(data, weights=weights)
    full = matrix if combined_weights else matrix * design.weights[:, None]
    if type == "Fay":
        if rho is None or not 0 < rho < 1:
            raise SurveyError("type 'Fay' needs Fay's rho, between 0 and 1", field="rho")
        scale = 1 / (count * (1 - rho) ** 2)
    elif rho is not None:
        raise SurveyError(f"rho is for type 'Fay', not {type!r}", field="rho")
    if scale is None:
        scale = {"BRR": 1 / count, "bootstrap": 1 / (count - 1), "JK1": (count - 1) / count}.get(
            type, 1.0
        )
    if rscales is None:
        if type == "JKn":
            if combined_weights:
                raise SurveyError("rscales are needed for combined JKn weights")
            rscales = 1 / matrix.max(axis=0)
        else:
            rscales = 1.0
    scales = np.broadcast_to(np.asarray(rscales, dtype=np.float64), (count,)).copy()
    rep = ReplicateWeights(weights=full, scale=float(scale), rscales=scales, mse=mse, type=type)
    return replace(design, replicates=rep)
