"""The variance adjustments against row-by-row transcriptions of R's ``svyrecvar`` branches."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from observatoire.survey.calibration import calibrate, poststratify, rake
from observatoire.survey.calibration.adjustments import RAKING_SWEEPS, Raking
from observatoire.survey.design import Design
from observatoire.survey.linearization import total_variance

SEX = {"F": 26.9e6, "H": 25.0e6}
AGE = {"18-34": 14e6, "35-64": 24e6, "65+": 13.9e6}


def scores(design: Design, *, domain: str | None = None) -> np.ndarray:
    """Weighted influence values of two totals (income, and income in a domain)."""
    income = design.data["income"].to_numpy()
    inside = np.ones(design.n, bool) if domain is None else design.data["sex"].to_numpy() == domain
    return np.column_stack([design.weights * income, design.weights * income * inside])


def ave(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """R's ave(): each value replaced by the unweighted mean of its group."""
    result = np.empty_like(values)
    for group in np.unique(groups):
        rows = groups == group
        result[rows] = values[rows].mean()
    return result


def test_raking_adjustment_is_r_backfitting(people: Design) -> None:
    margins = {"sex": SEX, "age": AGE}
    raked = rake(people, margins)
    adjustment = raked.calibrations[-1]
    assert isinstance(adjustment, Raking)
    x = scores(raked, domain="F")
    expected = x.copy()
    last_cycle_weights = []
    weights = raked.weights
    # R stores, for each margin of the last cycle, the weights right after that margin's step;
    # at convergence these are the final weights up to the convergence tolerance.
    for column in margins:
        levels = people.data[column].to_numpy()
        last_cycle_weights.append((weights, levels))
    for _ in range(RAKING_SWEEPS):
        for psw, levels in last_cycle_weights:
            for j in range(x.shape[1]):
                expected[:, j] = expected[:, j] - psw * ave(expected[:, j] / psw, levels)
    np.testing.assert_allclose(
        adjustment.adjust(x), expected, rtol=1e-7, atol=1e-6 * np.abs(x).max()
    )


def test_poststratification_adjustment_is_r_formula(people: Design) -> None:
    design = poststratify(people, "age", AGE)
    x = scores(design, domain="H")
    levels = people.data["age"].to_numpy()
    expected = x.copy()
    for j in range(x.shape[1]):
        for level in AGE:
            rows = levels == level
            mean = (
                x[rows, j] * people.weights[rows] / design.weights[rows]
            ).sum() / people.weights[rows].sum()
            expected[rows, j] -= mean * design.weights[rows]
    np.testing.assert_allclose(design.calibrations[-1].adjust(x), expected, rtol=1e-10)


@pytest.mark.parametrize("method", ["linear", "logit"])
def test_regression_adjustment_is_r_qr_residual(people: Design, method: str) -> None:
    totals = {"(Intercept)": 51.9e6, "sex": SEX, "income": 1.1e11}
    design = calibrate(
        people, totals, method=method, bounds=None if method == "linear" else (0.5, 2.0)
    )
    x = scores(design)
    auxiliaries = np.column_stack(
        [
            np.ones(people.n),
            (people.data["sex"] == "H").to_numpy().astype(float),
            people.data["income"].to_numpy(),
        ]
    )
    root = np.sqrt(people.weights)
    w = design.weights / people.weights * root
    z = x / w[:, None]
    coefficients = np.linalg.lstsq(auxiliaries * root[:, None], z, rcond=None)[0]
    expected = (z - (auxiliaries * root[:, None]) @ coefficients) * w[:, None]
    np.testing.assert_allclose(
        design.calibrations[-1].adjust(x), expected, rtol=1e-8, atol=1e-8 * np.abs(x).max()
    )


def test_totals_of_calibration_targets_have_no_variance(people: Design) -> None:
    design = calibrate(people, {"(Intercept)": 51.9e6, "sex": SEX, "income": 1.1e11})
    income = design.weights * people.data["income"].to_numpy()
    old = design.weights * (people.data["age"] == "65+").to_numpy()
    se = np.sqrt(total_variance(design, np.column_stack([income, old])))
    assert se[0] / 1.1e11 < 1e-9 < se[1] / 13.9e6
    raked = rake(people, {"sex": SEX, "age": AGE})
    old = raked.weights * (people.data["age"] == "65+").to_numpy()
    region = raked.weights * (people.data["region"] == 1).to_numpy()
    se = np.sqrt(total_variance(raked, np.column_stack([old, region])))
    assert se[0] / 13.9e6 < 1e-9 < se[1] / region.sum()


def test_one_dimensional_scores_keep_their_shape(people: Design) -> None:
    design = rake(people, {"sex": SEX})
    x = design.weights * people.data["income"].to_numpy()
    assert design.calibrations[-1].adjust(x).shape == (people.n,)
    np.testing.assert_allclose(
        design.calibrations[-1].adjust(x), design.calibrations[-1].adjust(x[:, None])[:, 0]
    )


def test_domain_scores_after_subset(people: Design) -> None:
    raked = rake(people, {"sex": SEX, "age": AGE})
    domain = raked.subset(pl.col("region") == 2)
    inside = domain.in_domain
    x = np.where(inside, domain.weights * people.data["income"].to_numpy(), 0.0)
    adjusted = raked.calibrations[-1].adjust(x)
    assert np.any(adjusted[~inside] != 0), "residuals spread outside the domain, as in R"
