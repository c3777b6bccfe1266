"""Sampling with probability proportional to size without replacement (R's `svydesign(pps=)`).

`pps="brewer"` is Brewer's approximation: the usual between-PSU variance with a finite-population
factor 1 − π_i for each PSU instead of one per stratum. It needs only the PSUs' inclusion
probabilities, given as the fpc (sampling fractions that vary between PSUs), and it is computed by
the stages of `linearization` like any design (several stages allowed).

The other methods give the Horvitz–Thompson variance x̌ᵀ·Ď·x̌ of the PSU totals x̌ of weighted
scores, with Ď_ij = (π_ij − π_i·π_j) / π_ij (R's "dcheck"), or the Yates–Grundy form
x̌ᵀ·Ď·x̌ − Σ_j (Σ_i Ď_ij)·x̌_j² (`variance="YG"`), on one sampling stage:

- `"overton"` (Overton's approximation): within a stratum of n PSUs,
  Ď_ij = ((π_i + π_j)/2 − 1) / (n − 1), and Ď_ii = 1 − π_i;
- `HR(psum)` (Hartley–Rao): Ď_ij = (π_i + π_j − 1 − p̄) / (n − 1), with p̄ = Σ_k π_k² / n over the
  population (`psum`), or, without it, the mean inclusion probability of the stratum's sampled
  PSUs; as R, Ď_ij = 0 where π_i + π_j = 1;
- `ppsmat(joint)`: the joint inclusion probabilities of every pair of sampled PSUs, Ď computed
  from them and entries smaller than `tolerance` in absolute value set to 0, as R's `ppsmat`.

Overton's and Hartley–Rao's Ď are constant plus α_i + α_j within a stratum, so their quadratic
forms come from per-stratum sums, without the (PSUs × PSUs) matrix R builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from observatoire.survey.errors import SurveyError, number

Variance = Literal["HT", "YG"]


@dataclass(frozen=True)
class HR:
    """Hartley–Rao's approximation to the joint inclusion probabilities (R's `HR(psum)`).

    `psum` is Σ π_k² / n over the population: one number, or one per stratum (keyed by the
    stratum's value as written in the data); `None` estimates it from the sampled PSUs.
    """

    psum: float | Mapping[Any, float] | None = None

    def __post_init__(self) -> None:
        given: list[Any] = (
            list(self.psum.values()) if isinstance(self.psum, Mapping) else [self.psum]
        )
        for value in given if self.psum is not None else []:
            if not number(value):  # its range is checked with the design's strata
                raise SurveyError(
                    f"HR(psum) must be a number between 0 and 1 (Σ π² / n), not {value!r}",
                    field="pps",
                )


@dataclass(frozen=True)
class JointProbabilities:
    """Joint inclusion probabilities of the sampled PSUs (R's `ppsmat`): one row and column per
    PSU in order of first appearance in the data (the rows themselves when every row is a PSU).
    """

    matrix: np.ndarray
    tolerance: float = 1e-4


def ppsmat(joint: Any, tolerance: float = 1e-4) -> JointProbabilities:
    """A PPS design's joint inclusion probabilities, as R's `ppsmat(jointprob, tolerance)`.

    >>> ppsmat([[0.5, 0.2], [0.2, 0.5]]).matrix.shape
    (2, 2)
    """
    try:
        matrix = np.asarray(joint, dtype=np.float64)
    except (TypeError, ValueError):
        raise SurveyError("the joint inclusion probabilities must be a matrix of numbers") from None
    if not number(tolerance) or not tolerance >= 0:
        raise SurveyError(f"the tolerance must be a number ≥ 0, not {tolerance!r}")
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise SurveyError("the joint inclusion probabilities must be a square matrix")
    if not np.all(np.isfinite(matrix)) or np.any(matrix < 0) or np.any(matrix > 1):
        raise SurveyError("joint inclusion probabilities must be numbers between 0 and 1")
    if not np.allclose(matrix, matrix.T, rtol=1e-10, atol=0):
        raise SurveyError("the joint inclusion probabilities must be a symmetric matrix")
    return JointProbabilities(matrix, float(tolerance))


PPS = Literal["brewer", "overton"] | HR | JointProbabilities


@dataclass(frozen=True)
class Delta:
    """Ď over the PSUs of a PPS design, with the Horvitz–Thompson or Yates–Grundy form.

    Either structured (within a stratum Ď_ij = α_i + α_j + κ_h off the diagonal, Ď_ii = d_i,
    minus the pairs in `exceptions`) or a `matrix`.
    """

    method: str
    form: Variance  # "HT" (Horvitz–Thompson) or "YG" (Yates–Grundy)
    unit: np.ndarray  # (n,) PSU of each row, 0..m-1 in order of first appearance
    stratum: np.ndarray  # (m,) stratum of each PSU
    diagonal: np.ndarray | None = None  # (m,) d_i
    alpha: np.ndarray | None = None  # (m,) α_i
    kappa: np.ndarray | None = None  # (H,) κ_h
    exceptions: sp.csr_matrix | None = None  # Ď_ij the structure gives but R sets to 0
    matrix: sp.csr_matrix | np.ndarray | None = None

    def variance(self, scores: np.ndarray, covariance: bool) -> np.ndarray:
        """Covariance (k, k), or variances (k,), of the totals of weighted scores (n, k)."""
        m = self.stratum.shape[0]
        to_units = sp.csr_matrix(
            (np.ones(self.unit.shape[0]), (self.unit, np.arange(self.unit.shape[0]))),
            shape=(m, self.unit.shape[0]),
        )
        return self.quadratic(np.asarray(to_units @ scores), covariance)

    def quadratic(self, x: np.ndarray, covariance: bool) -> np.ndarray:
        """x̌ᵀ·Ď·x̌ (k, k), or its diagonal (k,), minus the Yates–Grundy term when asked."""
        if self.matrix is not None:
            full = x.T @ np.asarray(self.matrix @ x)
            column_sums = np.asarray(self.matrix.sum(axis=0)).reshape(-1)
        else:
            full = self._structured(x)
            column_sums = self._column_sums()
        if self.form == "YG":
            full = full - (x * column_sums[:, None]).T @ x
        return full if covariance else np.diag(full).copy()

    def _structured(self, x: np.ndarray) -> np.ndarray:
        assert self.alpha is not None and self.kappa is not None and self.diagonal is not None
        n_strata = self.kappa.shape[0]
        to_strata = sp.csr_matrix(
            (np.ones(x.shape[0]), (self.stratum, np.arange(x.shape[0]))),
            shape=(n_strata, x.shape[0]),
        )
        sums = np.asarray(to_strata @ x)  # S_h
        alpha_sums = np.asarray(to_strata @ (self.alpha[:, None] * x))  # A_h
        own = self.diagonal - 2 * self.alpha - self.kappa[self.stratum]
        result = (x * own[:, None]).T @ x
        cross = alpha_sums.T @ sums
        result += cross + cross.T + (sums * self.kappa[:, None]).T @ sums
        if self.exceptions is not None and self.exceptions.nnz:
            result -= x.T @ np.asarray(self.exceptions @ x)
        return np.asarray(result)

    def _column_sums(self) -> np.ndarray:
        assert self.alpha is not None and self.kappa is not None and self.diagonal is not None
        n_strata = self.kappa.shape[0]
        size = np.bincount(self.stratum, minlength=n_strata)[self.stratum]
        alpha_total = np.bincount(self.stratum, weights=self.alpha, minlength=n_strata)
        others = (alpha_total[self.stratum] - self.alpha) + (size - 1) * (
            self.alpha + self.kappa[self.stratum]
        )
        sums = self.diagonal + others
        if self.exceptions is not None and self.exceptions.nnz:
            sums = sums - np.asarray(self.exceptions.sum(axis=0)).reshape(-1)
        return np.asarray(sums)


def build_delta(
    pps: HR | JointProbabilities | str,
    variance: str,
    prob: np.ndarray,
    stratum: np.ndarray,
    stratum_labels: tuple[str, ...],
    unit: np.ndarray,
) -> Delta:
    """Ď for the PSUs' inclusion probabilities `prob` (m,) and strata codes `stratum` (m,);
    `unit` gives each row's PSU."""
    if variance not in ("HT", "YG"):
        raise SurveyError(f"unknown variance {variance!r}; use 'HT' or 'YG'", field="variance")
    kind: Variance = "YG" if variance == "YG" else "HT"
    if isinstance(pps, JointProbabilities):
        return _matrix_delta(pps, kind, prob, stratum, unit)
    n_strata = int(stratum.max()) + 1
    size = np.bincount(stratum, minlength=n_strata).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(size > 1, 1 / (size - 1), 0.0)  # a stratum of one PSU: its diagonal only
    if pps == "overton":
        # Ď_ij = ((π_i + π_j)/2 − 1)/(n − 1); R's zero where (π_i + π_j)/2 = 1 is the same value
        return Delta("overton", kind, unit, stratum, 1 - prob, prob / 2 * per[stratum], -per)
    if isinstance(pps, HR):
        p2bar = _psum(pps, prob, stratum, size, stratum_labels)
        alpha = prob * per[stratum]
        kappa = -(1 + p2bar) * per
        exceptions = _hr_exceptions(prob, stratum, alpha, kappa)
        return Delta("HR", kind, unit, stratum, 1 - prob, alpha, kappa, exceptions)
    raise SurveyError(
        f"unknown pps method {pps!r}; use 'brewer', 'overton', HR(...) or ppsmat(...)",
        field="pps",
    )


def _psum(
    pps: HR, prob: np.ndarray, stratum: np.ndarray, size: np.ndarray, labels: tuple[str, ...]
) -> np.ndarray:
    """p̄ per stratum: given, or the mean sampled inclusion probability (R's HR())."""
    n_strata = size.shape[0]
    if pps.psum is None:
        return np.bincount(stratum, weights=prob, minlength=n_strata) / size
    if isinstance(pps.psum, Mapping):
        given = {str(key): float(value) for key, value in pps.psum.items()}
        missing = [label for label in labels if label not in given]
        if missing:
            raise SurveyError(f"HR(psum) has no value for stratum {missing[0]}", field="pps")
        values = np.array([given[label] for label in labels])
    else:
        values = np.full(n_strata, float(pps.psum))
    if not np.all(np.isfinite(values)) or np.any(values <= 0) or np.any(values > 1):
        raise SurveyError("HR(psum) must be between 0 and 1 (Σ π² / n)", field="pps")
    return values


def _hr_exceptions(
    prob: np.ndarray, stratum: np.ndarray, alpha: np.ndarray, kappa: np.ndarray
) -> sp.csr_matrix:
    """The pairs of one stratum with π_i + π_j = 1 exactly, where R's HRDcheck sets Ď_ij = 0."""
    m = prob.shape[0]
    rows, cols = [], []
    for h in np.unique(stratum):
        members = np.flatnonzero(stratum == h)
        order = members[np.argsort(prob[members], kind="stable")]
        values = prob[order]
        target = 1 - values  # a partner's probability is within rounding of 1 − π_i
        low = np.searchsorted(values, target - 1e-12, side="left")
        high = np.searchsorted(values, target + 1e-12, side="right")
        count = high - low
        if not count.any():
            continue
        first = np.repeat(order, count)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        second = order[np.repeat(low, count) + offset]
        exact = (first != second) & (prob[first] + prob[second] == 1.0)
        rows.append(first[exact])
        cols.append(second[exact])
    i = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    j = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
    values = alpha[i] + alpha[j] + kappa[stratum[i]]
    return sp.csr_matrix((values, (i, j)), shape=(m, m))


def _matrix_delta(
    joint: JointProbabilities,
    variance: Variance,
    prob: np.ndarray,
    stratum: np.ndarray,
    unit: np.ndarray,
) -> Delta:
    matrix = joint.matrix
    m = prob.shape[0]
    if matrix.shape != (m, m):
        raise SurveyError(
            f"the joint inclusion probabilities are {matrix.shape[0]} × {matrix.shape[1]}, the "
            f"design has {m} PSUs: give one row and column per PSU",
            field="pps",
        )
    single = np.diag(matrix)
    differs = np.flatnonzero(~np.isclose(single, prob, rtol=1e-6, atol=0))
    if differs.size:
        i = int(differs[0])
        raise SurveyError(
            f"the diagonal of the joint inclusion probabilities ({single[i]:g} for PSU {i + 1}) "
            f"is not the PSU's inclusion probability ({prob[i]:g}) in {differs.size} place(s)",
            field="pps",
        )
    if np.any(matrix == 0):
        raise SurveyError(
            "a joint inclusion probability is 0: the Horvitz–Thompson variance needs every "
            "pair of sampled PSUs to have a chance of being sampled together",
            field="pps",
        )
    delta = (matrix - np.outer(single, single)) / matrix
    delta[np.abs(delta) < joint.tolerance] = 0.0
    zeros = np.count_nonzero(delta == 0)
    stored: sp.csr_matrix | np.ndarray = sp.csr_matrix(delta) if zeros > m * m / 2 else delta
    return Delta("ppsmat", variance, unit, stratum, matrix=stored)
