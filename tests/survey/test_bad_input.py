"""Issue 13's verbs and options on bad input: a `SurveyError` naming the problem, never another
exception (the command line reports a SurveyError in one sentence; anything else is a crash)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest

from observatoire.survey import HR, Design, SurveyError, as_replicate, calibrate, ppsmat, var
from observatoire.survey.comparisons import (
    contrast,
    difference,
    domain_vs_rest,
    independent_differences,
    pairwise,
)
from observatoire.survey.means import mean
from observatoire.survey.proportions import ciprop
from observatoire.survey.quantiles import quantile
from observatoire.survey.tests import chisq, ttest

RNG = np.random.default_rng(13)
N = 60
FRAME = pl.DataFrame(
    {
        "stratum": np.repeat(["a", "b", "c"], N // 3),
        "psu": np.arange(N) // 2,
        "y": RNG.normal(10, 2, N),
        "z": RNG.normal(5, 1, N),
        "g": RNG.choice(["u", "v"], N),
        "text": RNG.choice(["p", "q", "r"], N),
        "gaps": [None if i % 7 == 0 else float(i) for i in range(N)],
        "w": RNG.uniform(1, 3, N),
        "prob": RNG.uniform(0.05, 0.2, N),
    }
)


def design(**options: Any) -> Design:
    return Design.from_frame(FRAME, strata="stratum", weights="w", **options)


def by_g() -> Any:
    return mean(design(), ["y", "z"], by="g", covariance=True)


BAD: list[tuple[str, Callable[[], Any]]] = [
    # svyvar
    ("var of a text column", lambda: var(design(), "text")),
    ("var of an unknown column", lambda: var(design(), "nope")),
    ("var with missing values", lambda: var(design(), "gaps")),
    ("var at level 2", lambda: var(design(), "y", level=2)),
    # PPS designs and their options
    ("pps unknown", lambda: design(pps="poisson")),
    ("HR negative psum", lambda: Design.from_frame(FRAME, ids="psu", fpc="prob", pps=HR(-1.0))),
    ("HR text psum", lambda: HR("x")),  # type: ignore[arg-type]
    ("ppsmat not square", lambda: ppsmat([[0.1, 0.2]])),
    ("ppsmat text", lambda: ppsmat("x")),
    ("variance unknown", lambda: design(variance="XX")),
    ("ultimate_cluster not a bool", lambda: design(ultimate_cluster="yes")),
    ("adjust_domain_lonely not a bool", lambda: design(adjust_domain_lonely="yes")),
    # replicates
    ("Fay rho 1", lambda: as_replicate(design(), "Fay", fay_rho=1.0)),
    ("Fay rho negative", lambda: as_replicate(design(), "Fay", fay_rho=-0.5)),
    ("Fay rho NaN", lambda: as_replicate(design(), "Fay", fay_rho=math.nan)),
    ("Fay rho text", lambda: as_replicate(design(), "Fay", fay_rho="half")),
    ("replicate type unknown", lambda: as_replicate(design(), "JK9")),  # type: ignore[arg-type]
    ("auto with 0 replicates", lambda: as_replicate(design(), "auto", replicates=0)),
    # comparisons
    ("contrast of an unknown label", lambda: contrast(by_g(), {"w:y": 1})),
    ("contrast with a text coefficient", lambda: contrast(by_g(), {"u:y": "one"})),
    ("contrast with a NaN coefficient", lambda: contrast(by_g(), {"u:y": math.nan})),
    ("contrast mixing forms", lambda: contrast(by_g(), {"u:y": 1, "c": {"v:y": 1}})),
    ("contrast of nothing", lambda: contrast(by_g(), {})),
    ("contrast at level 0", lambda: contrast(by_g(), {"u:y": 1}, level=0)),
    ("difference of an unknown label", lambda: difference(by_g(), "u:y", "x:y")),
    ("pairwise without domains", lambda: pairwise(mean(design(), "y"))),
    ("pairwise correction unknown", lambda: pairwise(by_g(), correction="holm")),  # type: ignore[arg-type]
    ("independent differences of one sample", lambda: independent_differences({"a": by_g()})),
    (
        "independent differences, unknown reference",
        lambda: independent_differences({"a": by_g(), "b": by_g()}, reference="c"),
    ),
    (
        "independent differences, no shared label",
        lambda: independent_differences({"a": mean(design(), "y"), "b": mean(design(), "z")}),
    ),
    (
        "independent differences, unknown label",
        lambda: independent_differences({"a": by_g(), "b": by_g()}, labels=["nope"]),
    ),
    (
        "domain vs rest of an empty domain",
        lambda: domain_vs_rest(design(), "y", pl.col("g") == "x"),
    ),
    ("domain vs rest of everyone", lambda: domain_vs_rest(design(), "y", pl.lit(True))),
    (
        "domain vs rest with missing values",
        lambda: domain_vs_rest(design(), "gaps", pl.col("g") == "u"),
    ),
    # na_rm everywhere
    ("ttest with missing values", lambda: ttest(design(), "gaps", "g")),
    ("chisq with missing values", lambda: chisq(design(), "text", "gaps")),
    ("ciprop with missing values", lambda: ciprop(design(), "gaps", 1.0)),
    ("quantile with missing values", lambda: quantile(design(), "gaps", 0.5)),
    # calibration totals in R's form
    (
        "calibrate an unknown coefficient",
        lambda: calibrate(design(), {"(Intercept)": 100, "gx": 3}),
    ),
    ("calibrate a text total", lambda: calibrate(design(), {"(Intercept)": "many"})),
    ("calibrate a NaN total", lambda: calibrate(design(), {"(Intercept)": math.nan, "gv": 50})),
]


@pytest.mark.parametrize(("what", "call"), BAD, ids=[what for what, _ in BAD])
def test_bad_input_is_a_survey_error(what: str, call: Callable[[], Any]) -> None:
    with pytest.raises(SurveyError) as raised:
        call()
    assert str(raised.value).strip(), what


GARBAGE: list[Any] = [None, "", "x", -1, 0, 1.5, math.nan, math.inf, [], {}, ["nope"], True]


@pytest.mark.parametrize("value", GARBAGE, ids=repr)
def test_garbage_options_raise_nothing_but_survey_errors(value: Any) -> None:
    """Every option of the new verbs given garbage: it works or says why, never crashes."""
    calls: list[Callable[[], Any]] = [
        lambda: var(design(), value),
        lambda: var(design(), "y", by=value),
        lambda: var(design(), "y", na_rm=value),
        lambda: design(pps=value),
        lambda: Design.from_frame(FRAME, ids="psu", fpc="prob", pps="brewer", variance=value),
        lambda: Design.from_frame(FRAME, ids="psu", fpc="prob", pps=HR(value)),
        lambda: Design.from_frame(FRAME, ids="psu", fpc="prob", pps=ppsmat(value)),
        lambda: design(ultimate_cluster=value),
        lambda: design(adjust_domain_lonely=value),
        lambda: as_replicate(design(), value),
        lambda: as_replicate(design(), "Fay", fay_rho=value),
        lambda: as_replicate(design(), "auto", replicates=value),
        lambda: contrast(by_g(), value),
        lambda: contrast(by_g(), {"u:y": value}),
        lambda: contrast(by_g(), {"u:y": 1}, df=value),
        lambda: difference(by_g(), value, "v:y"),
        lambda: pairwise(by_g(), correction=value),
        lambda: independent_differences({"a": by_g(), "b": by_g()}, reference=value),
        lambda: independent_differences({"a": by_g(), "b": by_g()}, labels=value),
        lambda: independent_differences({"a": by_g(), "b": by_g()}, level=value),
        lambda: domain_vs_rest(design(), value, pl.col("g") == "u"),
        lambda: domain_vs_rest(design(), "y", pl.col("g") == "u", level=value),
        lambda: ttest(design(), "y", "g", na_rm=value),
        lambda: chisq(design(), "text", "g", statistic=value),
        lambda: calibrate(design(), {"(Intercept)": value}),
        lambda: calibrate(design(), {"(Intercept)": 100.0, "gv": value}),
        lambda: quantile(design(), "y", 0.5, level=value),
        lambda: ciprop(design(), "g", "u", level=value),
        lambda: mean(design(), "y").confint(value),
        lambda: mean(design(), "y").confint(df=value),
    ]
    crashes = []
    for number, call in enumerate(calls):
        try:
            call()
        except SurveyError:
            pass
        except Exception as error:  # the point of the test: anything else is a crash
            crashes.append(f"call {number}: {type(error).__name__}: {error}")
    assert not crashes, crashes
