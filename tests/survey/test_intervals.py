"""Proportion and quantile intervals at their edges: no sampling variance, proportions of 0 or 1,
tiny tail probabilities. R's answers (4.2.2, survey 4.1.1) are quoted where R has a sound one."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from observatoire.survey import Design, SurveyError, ciprop, quantile
from observatoire.survey.proportions import upper_f_quantile

METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit")
# Every stratum fully sampled (fpc = sample size), weights differing by stratum: a census.
CENSUS = pl.DataFrame(
    {
        "s": [1, 1, 1, 2, 2, 2, 2, 3, 3],
        "N": [3, 3, 3, 4, 4, 4, 4, 2, 2],
        "w": [2.0, 2, 2, 5, 5, 5, 5, 1, 1],
        "y": [1, 0, 0, 1, 1, 0, 0, 0, 1],
        "x": [3.0, 1, 2, 8, 6, 5, 7, 4, 9],
    }
)


def census() -> Design:
    return Design.from_frame(CENSUS, strata="s", weights="w", fpc="N")


@pytest.mark.parametrize("method", METHODS)
def test_no_sampling_variance_gives_the_estimate_as_interval(method: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division warnings either
        result = ciprop(census(), "y", 1, method=method).table
    p = (2 + 10 + 1) / (6 + 20 + 2)
    assert result["se"][0] == 0
    assert result["estimate"][0] == pytest.approx(p, rel=1e-9)
    assert result["ci_low"][0] == pytest.approx(p, rel=1e-9)
    assert result["ci_high"][0] == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("interval_type", ["mean", "beta", "xlogit", "asin"])
def test_quantiles_of_a_census_have_the_quantile_as_interval(interval_type: str) -> None:
    result = quantile(census(), "x", [0.25, 0.5], interval_type=interval_type).table
    assert result["se"].to_list() == [0.0, 0.0]
    assert result["ci_low"].to_list() == result["estimate"].to_list()
    assert result["ci_high"].to_list() == result["estimate"].to_list()


@pytest.mark.parametrize("equals", [2, 1])  # proportions of 0 and of 1
def test_proportions_of_zero_or_one_never_raise_anything_but_survey_errors(equals: int) -> None:
    design = Design.from_frame(CENSUS.with_columns(pl.lit(1).alias("one")), weights="w")
    for method in METHODS:
        if method == "likelihood":
            # R: "profiling has found a better solution, so original fit had not converged"
            with pytest.raises(SurveyError, match="undefined for a proportion"):
                ciprop(design, "one", equals, method=method)
            continue
        result = ciprop(design, "one", equals, method=method).table
        assert result["se"][0] == 0
        if method in ("asin", "beta", "xlogit"):  # R: NaN NaN
            assert np.isnan(result["ci_low"][0]) and np.isnan(result["ci_high"][0])


def test_upper_f_quantile_at_tiny_tails_is_rs_qf() -> None:
    # qf(a, 1, 13000, lower.tail=FALSE) for a = 1e-5, 1e-21, 1e-40; and df2 > 4e5
    assert upper_f_quantile(1e-5, 1, 13000) == pytest.approx(19.5268219161211, rel=1e-12)
    assert upper_f_quantile(1e-21, 1, 13000) == pytest.approx(92.0448933032101, rel=1e-12)
    assert upper_f_quantile(1e-40, 1, 13000) == pytest.approx(179.798129648874, rel=1e-12)
    # qf(1e-21, 1, 5e5, lower.tail=FALSE)
    assert upper_f_quantile(1e-21, 1, 5e5) == pytest.approx(91.71704148692779, rel=1e-9)
