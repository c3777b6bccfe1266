"""Calibrated estimates and standard errors against R's survey 4.1.1 (values from reference.R).

These cover what the conformance cases do not: a crossed raking margin, a domain of a raked
design, logit calibration of a stratified design, calibration and raking of a JK1 replicate
design, trimming and crossed post-stratification.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from observatoire.survey import Estimates, means, replicates
from observatoire.survey.calibration import (
    apply_calibration,
    calibrate,
    calibration_diagnostics,
    poststratify,
    rake,
    trim,
)
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError

CROSS = {
    ("E", "No"): 600,
    ("H", "No"): 250,
    ("M", "No"): 220,
    ("E", "Yes"): 3821,
    ("H", "Yes"): 505,
    ("M", "Yes"): 798,
}
AWARDS = {"No": 2300, "Yes": 3894}
STYPE = {"E": 4421, "H": 755, "M": 1018}
SCHWIDE = {"No": 1072, "Yes": 5122}


def estimate_and_se(result: Estimates) -> tuple[float, float]:
    row = result.table.row(0, named=True)
    return row["estimate"], row["se"]


def assert_close(result: Estimates, expected: tuple[float, float], rel: float) -> None:
    assert estimate_and_se(result) == pytest.approx(expected, rel=rel)


def test_rake_with_a_crossed_margin_matches_r(dclus1: Design) -> None:
    raked = rake(dclus1, {("stype", "sch.wide"): CROSS, "awards": AWARDS})
    np.testing.assert_allclose(
        raked.weights[:5],
        [
            40.75046001171799,
            27.71883782740933,
            27.71883782740933,
            35.43852386463106,
            27.71883782740933,
        ],
        rtol=1e-9,
    )
    assert_close(means.mean(raked, ["api00"]), (641.31555894143105, 23.988157522032751), 1e-9)
    assert_close(means.total(raked, ["enroll"]), (3670082.4731471492, 406235.95204713079), 1e-9)
    domain = raked.subset(pl.col("comp.imp") == "Yes")
    assert_close(means.mean(domain, ["api00"]), (645.18397191226836, 23.593283871090357), 1e-9)


def test_logit_calibration_of_a_stratified_design_matches_r(dstrat: Design) -> None:
    calibrated = calibrate(
        dstrat,
        {"(Intercept)": 6194, "sch.wide": SCHWIDE, "api99": 3914069},
        method="logit",
        bounds=(0.7, 1.7),
    )
    assert_close(means.mean(calibrated, ["api00"]), (664.55450751973899, 1.5566628456716693), 1e-9)
    diagnostics = calibration_diagnostics(calibrated)
    assert (diagnostics.g_min, diagnostics.g_max) == pytest.approx(
        (0.96017936926211578, 1.0416628000556518), rel=1e-9
    )


def test_replicate_design_is_calibrated_replicate_by_replicate(dclus1: Design) -> None:
    jk1 = replicates.as_replicate(dclus1, "JK1")
    linear = calibrate(jk1, {"(Intercept)": 6194, "stype": STYPE, "api99": 3914069})
    assert_close(means.mean(linear, ["api00"]), (665.30907116577998, 3.94285448376767), 1e-9)
    raked = rake(jk1, {"stype": STYPE, "sch.wide": SCHWIDE})
    assert_close(means.mean(raked, ["api00"]), (641.2303209268199, 26.873980435467079), 1e-9)
    assert raked.replicates is not None
    stype = raked.data["stype"].to_numpy()
    for level, target in STYPE.items():
        np.testing.assert_allclose(raked.replicates.weights[stype == level].sum(axis=0), target)


def test_replicate_that_cannot_meet_the_bounds_is_an_error_not_a_warning(dclus1: Design) -> None:
    jk1 = replicates.as_replicate(dclus1, "JK1")
    with pytest.raises(SurveyError, match=r"replicate 11.*stype = H"):
        calibrate(
            jk1,
            {"(Intercept)": 6194, "stype": STYPE, "api99": 3914069},
            method="raking",
            bounds=(0.5, 2),
        )


def test_trimming_matches_r(dstrat: Design) -> None:
    trimmed = trim(dstrat, lower=20, upper=40)
    assert trimmed.weights.min() == pytest.approx(20)
    assert trimmed.weights.max() == pytest.approx(40)
    assert trimmed.weights.sum() == pytest.approx(6193.9999580383301, rel=1e-12)
    assert_close(means.mean(trimmed, ["api00"]), (659.28969986310904, 8.9178648058055519), 1e-10)


def test_crossed_poststratification_matches_r(dclus1: Design) -> None:
    design = poststratify(dclus1, ["stype", "sch.wide"], CROSS)
    assert_close(means.mean(design, ["api00"]), (641.53626669648099, 23.764381385349726), 1e-10)
    assert_close(means.total(design, ["enroll"]), (3662042.3556149732, 393899.40631601482), 1e-10)


def test_r_stopping_rule_reproduces_r_default_rake(dclus1: Design) -> None:
    spec = {
        "method": "raking",
        "margins": [
            {"column": "stype", "totals": STYPE},
            {"column": "sch.wide", "totals": SCHWIDE},
        ],
        "control": {"maxit": 10, "epsilon": 1},
    }
    raked = apply_calibration(dclus1, spec)
    np.testing.assert_allclose(
        raked.weights[:3], [50.330152772675071, 29.870463872734536, 29.870463872734536], rtol=1e-12
    )
    assert_close(means.mean(raked, ["api00"]), (641.23024686220879, 23.703641240237683), 1e-10)
    diagnostics = calibration_diagnostics(raked)
    assert diagnostics.iterations == 4
    gaps = dict(zip(diagnostics.gaps["category"], diagnostics.gaps["achieved"], strict=True))
    assert gaps["E"] == pytest.approx(4420.9633441276064, rel=1e-12)
    assert diagnostics.max_gap["stype"] > 1e-6, "R's default rule leaves the first margin missed"


def test_spec_with_r_interaction_labels(dclus1: Design) -> None:
    spec = {
        "method": "poststratify",
        "margins": [
            {
                "column": ["stype", "sch.wide"],
                "totals": {f"{s}.{w}": total for (s, w), total in CROSS.items()},
            }
        ],
    }
    design = apply_calibration(dclus1, spec)
    assert_close(means.mean(design, ["api00"]), (641.53626669648099, 23.764381385349726), 1e-10)
    with pytest.raises(SurveyError, match=r"should read level\.level"):
        apply_calibration(
            dclus1,
            {
                "method": "poststratify",
                "margins": [{"column": ["stype", "sch.wide"], "totals": {"E": 1}}],
            },
        )
