"""Calibrated domain variances from cell statistics equal those of the adjusted score matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest

from observatoire.survey.calibration import calibrate, poststratify, rake, trim
from observatoire.survey.design import Design
from observatoire.survey.estimates import domains
from observatoire.survey.linearization import domain_variances, total_variance
from observatoire.survey.means import mean

N = 1_500
SEX = {"F": 780.0e3, "H": 720.0e3}
AGE = {"young": 400.0e3, "middle": 650.0e3, "old": 450.0e3}
REGION = {1: 300.0e3, 2: 400.0e3, 3: 350.0e3, 4: 450.0e3}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(20261126)
    stratum = rng.integers(0, 4, N)
    return pl.DataFrame(
        {
            "stratum": stratum,
            "psu": stratum * 100 + rng.integers(0, 25, N),
            "sex": rng.choice(["F", "H"], N, p=[0.55, 0.45]),
            "age": rng.choice(["young", "middle", "old"], N, p=[0.2, 0.5, 0.3]),
            "region": stratum + 1,
            "group": rng.integers(0, 5, N),
            "x": rng.gamma(3.0, 2.0, N),
            "y1": rng.normal(5.0, 2.0, N),
            "y2": rng.integers(1, 11, N).astype(np.float64),
            "w": rng.uniform(600.0, 1_400.0, N),
            "fpc": np.full(N, 5_000.0),
        }
    )


Calibration = Callable[[Design], Design]
CALIBRATIONS: dict[str, Calibration] = {
    "poststratified": lambda d: poststratify(d, "age", AGE),
    "raked": lambda d: rake(d, {"sex": SEX, "age": AGE, "region": REGION}),
    "greg": lambda d: calibrate(d, {"(Intercept)": 1.5e6, "sex": SEX, "x": 9.0e6}),
    "logit": lambda d: calibrate(
        d, {"(Intercept)": 1.5e6, "age": AGE}, method="logit", bounds=(0.5, 2.0)
    ),
    "chained": lambda d: rake(poststratify(d, "sex", SEX), {"age": AGE, "region": REGION}),
    "trimmed": lambda d: trim(rake(d, {"sex": SEX, "age": AGE}), upper=1.3, relative_to="mean"),
    "trimmed only": lambda d: trim(d, upper=1.3, relative_to="mean"),
    "raked subset": lambda d: rake(d.subset(pl.col("x") > 3.0), {"sex": SEX, "age": AGE}),
}
DESIGNS: dict[str, dict[str, Any]] = {
    "rows": {"weights": "w"},
    "stratified": {"strata": "stratum", "weights": "w", "fpc": "fpc"},
    "clustered": {"ids": "psu", "strata": "stratum", "weights": "w"},
}


def dense_variances(
    design: Design, y: np.ndarray, domain_weights: np.ndarray, covariance: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres, scales and the variances through the materialised adjusted scores."""
    totals = domain_weights.sum(axis=0)
    centres = (domain_weights.T @ y).T / totals
    scales = np.broadcast_to(totals, centres.shape)
    scores = domain_weights[:, None, :] * (y[:, :, None] - centres[None]) / scales[None]
    result = total_variance(design, scores.reshape(design.n, -1), covariance=covariance)
    return centres, np.ascontiguousarray(scales), np.atleast_1d(result)


def fast_equals_dense(design: Design, by: str | None, covariance: bool) -> None:
    y = design.data.select("y1", "y2", "x").to_numpy().astype(np.float64)
    code = domains(design, by).code
    domain_weights = design.weights[:, None] * (code[:, None] == np.arange(code.max() + 1))
    centres, scales, expected = dense_variances(design, y, domain_weights, covariance)
    got = domain_variances(design, y, domain_weights, centres, scales, covariance=covariance)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())


@pytest.mark.parametrize("calibration", sorted(CALIBRATIONS))
@pytest.mark.parametrize("layout", sorted(DESIGNS))
@pytest.mark.parametrize("by", [None, "group"])
def test_variances_equal_the_dense_path(
    frame: pl.DataFrame, calibration: str, layout: str, by: str | None
) -> None:
    design = CALIBRATIONS[calibration](Design.from_frame(frame, **DESIGNS[layout]))
    fast_equals_dense(design, by, covariance=False)


@pytest.mark.parametrize("calibration", ["raked", "greg", "chained"])
@pytest.mark.parametrize("layout", ["stratified", "clustered"])
@pytest.mark.parametrize("by", [None, "group"])
def test_covariances_equal_the_dense_path(
    frame: pl.DataFrame, calibration: str, layout: str, by: str | None
) -> None:
    design = CALIBRATIONS[calibration](Design.from_frame(frame, **DESIGNS[layout]))
    fast_equals_dense(design, by, covariance=True)


@pytest.mark.parametrize("layout", ["stratified", "clustered"])
def test_domain_of_a_subset(frame: pl.DataFrame, layout: str) -> None:
    raked = CALIBRATIONS["raked"](Design.from_frame(frame, **DESIGNS[layout]))
    fast_equals_dense(raked.subset(pl.col("x") > 4.0), "group", covariance=False)
    fast_equals_dense(raked.subset(pl.col("x") > 4.0), None, covariance=True)


def test_lonely_psu_policy_is_kept(frame: pl.DataFrame) -> None:
    lonely = frame.with_columns(
        stratum=pl.when(pl.int_range(pl.len()) == 0).then(9).otherwise(pl.col("stratum"))
    )
    for policy in ("adjust", "remove", "certainty", "average"):
        design = Design.from_frame(lonely, strata="stratum", weights="w", lonely_psu=policy)
        fast_equals_dense(CALIBRATIONS["raked"](design), "group", covariance=False)


def test_mean_by_domain_uses_the_calibration(frame: pl.DataFrame) -> None:
    design = Design.from_frame(frame, strata="stratum", weights="w")
    raked = CALIBRATIONS["raked"](design)
    by = mean(raked, ["y1", "y2"], by="sex").table["se"].to_numpy()
    naive = mean(design.with_weights(raked.weights, None), ["y1", "y2"], by="sex")
    assert not np.allclose(by, naive.table["se"].to_numpy(), rtol=1e-6)


def test_no_score_matrix_is_adjusted(frame: pl.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    design = CALIBRATIONS["chained"](
        Design.from_frame(frame, ids="psu", strata="stratum", weights="w")
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the dense path was taken")

    monkeypatch.setattr("observatoire.survey.linearization.adjusted_scores", refuse)
    table = mean(design, ["y1", "y2"], by="group").table
    assert table["se"].is_finite().all()
    assert mean(design, ["y1", "y2"]).vcov.shape == (2, 2)


@pytest.mark.parametrize("layout", sorted(DESIGNS))
def test_calibrated_auxiliary_keeps_a_variance_near_zero(frame: pl.DataFrame, layout: str) -> None:
    """A share the raking reproduces has (almost) no variance: no cancellation of large sums."""
    design = Design.from_frame(frame, **DESIGNS[layout])
    raked = CALIBRATIONS["raked"](design)
    women = (frame["sex"] == "F").cast(pl.Float64).to_numpy()[:, None]
    weights = raked.weights[:, None]
    share = float((weights[:, 0] @ women[:, 0]) / weights.sum())
    centre, scale = np.array([[share]]), np.array([[weights.sum()]])
    raw = total_variance(
        design.with_weights(raked.weights, None), weights * (women - share) / scale
    )
    got = domain_variances(raked, women.copy(), weights, centre, scale)
    _, _, dense = dense_variances(raked, women, weights, covariance=False)
    assert abs(got[0] - dense[0]) < 1e-13 * raw
    assert abs(got[0]) < 1e-12 * raw


def test_adjustment_without_low_rank_form_keeps_the_score_matrix(frame: pl.DataFrame) -> None:
    """An adjustment known only by `adjust` (the design protocol) is applied to the scores."""

    class Halved:
        def adjust(self, scores: np.ndarray) -> np.ndarray:
            return scores / 2

    design = Design.from_frame(frame, strata="stratum", weights="w")
    custom = design.with_weights(design.weights, Halved())
    fast_equals_dense(custom, "group", covariance=False)
    plain = mean(design, "y1", by="group").table["se"].to_numpy()
    np.testing.assert_allclose(mean(custom, "y1", by="group").table["se"].to_numpy(), plain / 2)
