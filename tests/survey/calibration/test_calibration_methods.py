"""Raking, calibration, trimming and their diagnostics: targets met, bounds that really bound."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from observatoire.survey import replicates
from observatoire.survey.calibration import (
    apply_calibration,
    calibrate,
    calibration_diagnostics,
    poststratify,
    rake,
    trim,
)
from observatoire.survey.calibration.adjustments import Raking, Regression, Trimming
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError

SEX = {"F": 26.9e6, "H": 25.0e6}
AGE = {"18-34": 14e6, "35-64": 24e6, "65+": 13.9e6}
POPULATION = 51.9e6


def weighted_totals(design: Design, column: str) -> dict[str, float]:
    frame = pl.DataFrame({"level": design.data[column].cast(pl.String), "w": design.weights})
    return dict(frame.group_by("level").agg(pl.col("w").sum()).iter_rows())


def naive_ipf(design: Design, margins: dict[str, dict[str, float]], cycles: int) -> np.ndarray:
    """Row-by-row IPF from the design weights, written independently of the engine."""
    weights = design.weights.copy()
    for _ in range(cycles):
        for column, targets in margins.items():
            levels = design.data[column].cast(pl.String).to_numpy()
            for level, target in targets.items():
                rows = levels == level
                weights[rows] *= target / weights[rows].sum()
    return weights


def test_rake_starts_from_the_design_weights_and_meets_every_margin(people: Design) -> None:
    raked = rake(people, {"sex": SEX, "age": AGE})
    np.testing.assert_allclose(raked.weights, naive_ipf(people, {"sex": SEX, "age": AGE}, 60))
    for column, targets in (("sex", SEX), ("age", AGE)):
        reached = weighted_totals(raked, column)
        for level, target in targets.items():
            assert reached[level] == pytest.approx(target, rel=1e-10)
    diagnostics = calibration_diagnostics(raked)
    assert diagnostics.method == "raking"
    assert max(diagnostics.max_gap.values()) < 1e-10
    assert set(diagnostics.max_gap) == {"sex", "age"}


def test_shares_and_counts_give_the_same_weights(people: Design) -> None:
    counts = rake(people, {"sex": SEX, "age": AGE})
    shares = rake(
        people,
        {
            "sex": {k: v / POPULATION for k, v in SEX.items()},
            "age": {k: v / POPULATION for k, v in AGE.items()},
        },
        as_shares=True,
        population_total=POPULATION,
    )
    np.testing.assert_allclose(shares.weights, counts.weights, rtol=1e-12)
    free_total = rake(people, {"sex": {"F": 0.5, "H": 0.5}}, as_shares=True)
    assert free_total.weights.sum() == pytest.approx(people.weights.sum())
    assert weighted_totals(free_total, "sex")["F"] == pytest.approx(people.weights.sum() / 2)


def test_crossed_margin_meets_every_cell(people: Design) -> None:
    cells = {
        ("F", "18-34"): 7e6,
        ("F", "35-64"): 12.4e6,
        ("F", "65+"): 7.5e6,
        ("H", "18-34"): 7e6,
        ("H", "35-64"): 11.6e6,
        ("H", "65+"): 6.4e6,
    }
    raked = rake(people, {("sex", "age"): cells, "region": {1: 13e6, 2: 13e6, 3: 13e6, 4: 12.9e6}})
    frame = pl.DataFrame({"sex": raked.data["sex"], "age": raked.data["age"], "w": raked.weights})
    reached = {
        (s, a): w for s, a, w in frame.group_by("sex", "age").agg(pl.col("w").sum()).iter_rows()
    }
    for cell, target in cells.items():
        assert reached[cell] == pytest.approx(target, rel=1e-10)
    gaps = calibration_diagnostics(raked).gaps
    assert "F×18-34" in gaps["category"].to_list()
    assert set(gaps["margin"].unique()) == {"sex×age", "region"}


def test_raking_that_does_not_converge_names_the_margin(people: Design) -> None:
    with pytest.raises(
        SurveyError, match=r"raking did not converge in 1 cycles: margin sex, category"
    ):
        rake(people, {"sex": SEX, "age": AGE}, max_iter=1)


def test_bounded_raking_really_bounds_g(people: Design) -> None:
    margins = {"sex": SEX, "age": AGE, "region": {1: 13e6, 2: 13e6, 3: 13e6, 4: 12.9e6}}
    free = calibration_diagnostics(rake(people, margins))
    low, high = 1 - 0.98 * (1 - free.g_min), 1 + 0.98 * (free.g_max - 1)
    bounded_design = rake(people, margins, bounds=(low, high))
    bounded = calibration_diagnostics(bounded_design)
    assert low - 1e-12 <= bounded.g_min and bounded.g_max <= high + 1e-12
    assert max(bounded.max_gap.values()) < 1e-9
    assert isinstance(bounded_design.calibrations[-1], Regression)


@pytest.mark.parametrize("method", ["linear", "raking", "logit"])
def test_bounds_on_g_hold_and_targets_are_met(people: Design, method: str) -> None:
    totals = {"(Intercept)": POPULATION, "sex": SEX, "age": AGE, "income": 1.1e11}
    free = calibrate(people, totals, method="linear")
    g = free.weights / people.weights
    assert g.min() < 0.7 and g.max() > 1.6, "the test needs bounds that bind"
    calibrated = calibrate(people, totals, method=method, bounds=(0.7, 1.6))
    g = calibrated.weights / people.weights
    assert g.min() >= 0.7 - 1e-12
    assert g.max() <= 1.6 + 1e-12
    diagnostics = calibration_diagnostics(calibrated)
    assert max(diagnostics.max_gap.values()) < 1e-9
    assert diagnostics.bounds == (0.7, 1.6)
    assert diagnostics.method == method


def test_bounds_too_tight_name_the_target_missed(people: Design) -> None:
    totals = {"(Intercept)": POPULATION, "sex": SEX, "age": AGE, "income": 1.1e11}
    with pytest.raises(
        SurveyError, match=r"did not converge .* the total of .* within these bounds"
    ):
        calibrate(people, totals, method="logit", bounds=(0.99, 1.01))


def test_bounds_are_checked(people: Design) -> None:
    totals = {"(Intercept)": POPULATION, "sex": SEX}
    with pytest.raises(SurveyError, match="logit calibration needs finite bounds"):
        calibrate(people, totals, method="logit")
    with pytest.raises(SurveyError, match=r"L <= 1 <= U"):
        calibrate(people, totals, method="linear", bounds=(1.2, 3))
    with pytest.raises(SurveyError, match="unknown calibration method 'calmar'"):
        calibrate(people, totals, method="calmar")


def test_unbounded_linear_calibration_reports_negative_weights(people: Design) -> None:
    extreme = calibrate(people, {"(Intercept)": 1000.0, "income": 6e6})
    diagnostics = calibration_diagnostics(extreme)
    assert diagnostics.negative_weights == int((extreme.weights < 0).sum()) > 0
    assert any("negative" in note for note in diagnostics.notes)


def test_collinear_auxiliaries_are_named(people: Design) -> None:
    data = people.data.with_columns(double_income=pl.col("income") * 2)
    design = Design.from_frame(data, weights="w")
    with pytest.raises(SurveyError, match=r"collinear.*income"):
        calibrate(design, {"(Intercept)": POPULATION, "income": 1e11, "double_income": 2e11})


def test_unit_weights_are_rescaled_as_r_does(people: Design) -> None:
    unit = Design.from_frame(people.data)
    calibrated = calibrate(unit, {"(Intercept)": POPULATION, "sex": SEX}, method="raking")
    assert calibrated.weights.sum() == pytest.approx(POPULATION)
    assert any("scaled by" in note for note in calibration_diagnostics(calibrated).notes)


def test_diagnostics_describe_the_weights(people: Design) -> None:
    raw = calibration_diagnostics(people)
    w = people.weights
    assert raw.method == "none"
    assert raw.iterations == 0
    assert raw.kish_deff == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2)
    assert raw.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert raw.g_min == raw.g_max == 1.0
    raked = calibration_diagnostics(rake(people, {"sex": SEX, "age": AGE}))
    assert raked.iterations >= 2
    assert raked.gaps.columns == ["margin", "category", "target", "achieved", "gap", "relative_gap"]
    assert raked.gaps.height == 5
    assert json.loads(json.dumps(raked.as_dict()))["method"] == "raking"


def test_trimming_keeps_the_total_and_the_bounds(people: Design) -> None:
    median = float(np.median(people.weights))
    trimmed = trim(people, lower=0.6, upper=1.6, relative_to="median")
    assert trimmed.weights.sum() == pytest.approx(people.weights.sum(), rel=1e-12)
    assert trimmed.weights.min() >= 0.6 * median - 1e-9
    assert trimmed.weights.max() <= 1.6 * median + 1e-9
    free = (trimmed.weights > 0.6 * median + 1e-9) & (trimmed.weights < 1.6 * median - 1e-9)
    shift = trimmed.weights[free] - people.weights[free]
    assert np.ptp(shift) < 1e-9, "the excess is shared equally, as R's trimWeights does"
    assert isinstance(trimmed.calibrations[-1], Trimming)
    assert calibration_diagnostics(trimmed).method == "trim"


def test_impossible_trimming(people: Design) -> None:
    with pytest.raises(SurveyError, match=r"mean weight .* must lie between them"):
        trim(people, upper=0.5, relative_to="mean")
    with pytest.raises(SurveyError, match="needs a lower or an upper bound"):
        trim(people)


def test_trimming_a_replicate_design_leaves_deleted_units_at_zero(dstrat: Design) -> None:
    jkn = replicates.as_replicate(dstrat, "JKn")
    assert jkn.replicates is not None
    trimmed = trim(jkn, upper=40)
    assert trimmed.replicates is not None
    zero = jkn.replicates.weights == 0
    assert np.all(trimmed.replicates.weights[zero] == 0)
    assert jkn.replicates.weights.max() > 40
    assert trimmed.replicates.weights.max() <= 40 + 1e-9
    np.testing.assert_allclose(
        trimmed.replicates.weights.sum(axis=0), jkn.replicates.weights.sum(axis=0)
    )


def test_poststratified_replicates_each_meet_the_targets(dclus1: Design) -> None:
    jk1 = replicates.as_replicate(dclus1, "JK1")
    design = poststratify(jk1, "stype", {"E": 4421, "H": 755, "M": 1018})
    assert design.replicates is not None
    np.testing.assert_allclose(design.replicates.weights.sum(axis=0), 6194)


def test_calibrating_a_domain_leaves_rows_outside_untouched(people: Design) -> None:
    domain = people.subset(pl.col("sex") == "F")
    design = poststratify(domain, "age", {"18-34": 7e6, "35-64": 12.4e6, "65+": 7.5e6})
    outside = people.data["sex"].to_numpy() == "H"
    np.testing.assert_array_equal(design.weights[outside], people.weights[outside])
    assert design.domain_weights.sum() == pytest.approx(26.9e6)


def test_spec_chooses_ipf_or_calibration(people: Design) -> None:
    margins = [
        {"column": "sex", "totals": SEX},
        {
            "column": ["age", "region"],
            "totals": [
                {"age": age, "region": region, "total": AGE[age] / 4}
                for age in AGE
                for region in (1, 2, 3, 4)
            ],
        },
    ]
    ipf = apply_calibration(people, {"method": "raking", "margins": margins})
    assert isinstance(ipf.calibrations[-1], Raking)
    newton = apply_calibration(
        people, {"method": "raking", "margins": margins, "totals": {"(Intercept)": POPULATION}}
    )
    assert isinstance(newton.calibrations[-1], Regression)
    np.testing.assert_allclose(newton.weights, ipf.weights, rtol=1e-8)


def test_r_rule_warns_when_it_runs_out_of_cycles(people: Design) -> None:
    with pytest.warns(UserWarning, match="raking stopped after 1 cycles without meeting R's rule"):
        design = rake(people, {"sex": SEX, "age": AGE}, rule="r", max_iter=1, epsilon=1e-12)
    assert max(calibration_diagnostics(design).max_gap.values()) > 1e-6
    with pytest.raises(SurveyError, match="unknown raking rule 'fast'"):
        rake(people, {"sex": SEX}, rule="fast")
    with pytest.raises(SurveyError, match="R's rake has no bounds"):
        rake(people, {"sex": SEX}, rule="r", bounds=(0.5, 2))
