"""Targets that cannot be met fail loudly, naming the margin and the category."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from observatoire.survey.calibration import Margin, apply_calibration, calibrate, poststratify, rake
from observatoire.survey.calibration.targets import combine_codes
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError

SEX = {"F": 26.9e6, "H": 25.0e6}
AGE = {"18-34": 14e6, "35-64": 24e6, "65+": 13.9e6}


def test_category_in_the_sample_without_a_target(people: Design) -> None:
    with pytest.raises(
        SurveyError, match=r"margin age: category 65\+ is in the sample but has no target"
    ):
        rake(people, {"sex": SEX, "age": {"18-34": 20e6, "35-64": 31.9e6}})


def test_target_without_sampled_rows(people: Design) -> None:
    with pytest.raises(
        SurveyError, match=r"margin age: category 80\+ has a target .* no sampled row"
    ):
        rake(people, {"sex": SEX, "age": {**AGE, "65+": 12e6, "80+": 1.9e6}})


def test_partial_poststratification_ignores_empty_cells_and_says_so(people: Design) -> None:
    with pytest.raises(SurveyError, match="use partial=True"):
        poststratify(people, "age", {**AGE, "80+": 1e6})
    design = poststratify(people, "age", {**AGE, "80+": 1e6}, partial=True)
    assert design.weights.sum() == pytest.approx(sum(AGE.values()))
    notes = design.calibrations[-1].diagnostics.notes
    assert any("80+" in note for note in notes)


def test_zero_and_negative_targets(people: Design) -> None:
    with pytest.raises(SurveyError, match="category F has a target of 0 but sampled rows"):
        poststratify(people, "sex", {"F": 0, "H": 10})
    with pytest.raises(SurveyError, match=r"category H is negative \(-5\)"):
        poststratify(people, "sex", {"F": 10, "H": -5})
    # a zero target for a category nobody was sampled in is harmless, as in R
    design = poststratify(people, "sex", {"F": 10, "H": 10, "X": 0})
    assert design.weights.sum() == pytest.approx(20)


def test_margins_whose_totals_disagree(people: Design) -> None:
    with pytest.raises(
        SurveyError,
        match="margins disagree: margin age sums to 52100000 but margin sex sums to 51900000",
    ):
        rake(people, {"sex": SEX, "age": {**AGE, "65+": 14.1e6}})
    with pytest.raises(
        SurveyError, match="margin sex sums to 51900000 but the population total is 52000000"
    ):
        calibrate(people, {"(Intercept)": 52e6, "sex": SEX})


def test_missing_values_in_a_margin_column_name_the_row(people: Design) -> None:
    data = people.data.with_columns(
        sex=pl.when(pl.int_range(pl.len()) == 7).then(None).otherwise(pl.col("sex"))
    )
    design = Design.from_frame(data, weights="w")
    with pytest.raises(SurveyError, match=r"column 'sex' has 1 missing value.*row 7") as error:
        rake(design, {"sex": SEX})
    assert error.value.column == "sex"
    assert error.value.row == 7


def test_unknown_columns_and_bad_numeric_totals(people: Design) -> None:
    with pytest.raises(SurveyError, match="no column 'gender'"):
        rake(people, {"gender": SEX})
    with pytest.raises(SurveyError, match="calibration total sex: the column is String"):
        calibrate(people, {"(Intercept)": 10, "sex": 5})
    with pytest.raises(SurveyError, match="calibration total revenue: no such column"):
        calibrate(people, {"(Intercept)": 10, "revenue": 5})


def test_integer_and_text_levels_match(people: Design) -> None:
    by_int = poststratify(people, "region", {1: 10, 2: 20, 3: 30, 4: 40})
    by_text = poststratify(people, "region", {"1": 10, "2": 20, "3": 30, "4": 40})
    by_float = poststratify(people, "region", {1.0: 10, 2.0: 20, 3.0: 30, 4.0: 40})
    assert by_int.weights.tolist() == by_text.weights.tolist() == by_float.weights.tolist()


def test_shares_must_sum_to_one(people: Design) -> None:
    with pytest.raises(SurveyError, match=r"shares must sum to 1, they sum to 100 .*fractions"):
        rake(people, {"sex": {"F": 52, "H": 48}}, as_shares=True)


def test_targets_given_as_a_frame(people: Design) -> None:
    frame = pl.DataFrame({"sex": ["F", "H"], "Freq": [60.0, 40.0]})
    from_frame = poststratify(people, "sex", frame)
    from_dict = poststratify(people, "sex", {"F": 60, "H": 40})
    assert from_frame.weights.tolist() == from_dict.weights.tolist()
    with pytest.raises(
        SurveyError, match="needs the columns sex followed by one column of targets"
    ):
        poststratify(people, "sex", frame.rename({"sex": "gender"}))


def test_malformed_margins() -> None:
    with pytest.raises(SurveyError, match="should have one level for each of the 2 columns"):
        Margin.of(["age", "sex"], {"F": 1})
    not_a_number: dict[str, Any] = {"F": "many"}
    with pytest.raises(SurveyError, match="is not a number"):
        Margin.of("sex", not_a_number)


def test_spec_errors(people: Design) -> None:
    with pytest.raises(SurveyError, match="unknown calibration key 'weights'"):
        apply_calibration(people, {"method": "raking", "weights": "w"})
    with pytest.raises(SurveyError, match="unknown calibration method 'ipf'"):
        apply_calibration(people, {"method": "ipf", "margins": []})
    with pytest.raises(SurveyError, match="exactly one margin"):
        apply_calibration(
            people,
            {
                "method": "poststratify",
                "margins": [{"column": "sex", "totals": SEX}, {"column": "age", "totals": AGE}],
            },
        )


@pytest.mark.parametrize(
    ("rows", "sizes"),
    [(1000, [3, 4, 5]), (50, [40, 30, 20, 10]), (2000, [2000, 2000, 2000])],
)
def test_crossing_codes_keeps_every_combination(rows: int, sizes: list[int]) -> None:
    rng = np.random.default_rng(rows)
    parts = [rng.integers(0, size, rows) for size in sizes]
    codes, combos = combine_codes(parts, sizes)
    for j, part in enumerate(parts):
        np.testing.assert_array_equal(combos[codes, j], part)
    assert len(combos) == len(np.unique(codes)) == len({tuple(r) for r in np.column_stack(parts)})


def test_r_contrast_named_totals_equal_the_full_form(people: Design) -> None:
    total = sum(SEX.values())
    full = calibrate(people, {"(Intercept)": total, "sex": SEX, "age": AGE})
    r_form = calibrate(
        people,
        {"(Intercept)": total, "sexH": SEX["H"], "age35-64": AGE["35-64"], "age65+": AGE["65+"]},
    )
    np.testing.assert_allclose(r_form.weights, full.weights, rtol=1e-12)
    every_level = calibrate(people, {"sexF": SEX["F"], "sexH": SEX["H"]})
    by_mapping = calibrate(people, {"sex": SEX})
    np.testing.assert_allclose(every_level.weights, by_mapping.weights, rtol=1e-12)


def test_r_contrast_named_totals_that_cannot_work(people: Design) -> None:
    with pytest.raises(SurveyError, match=r"leave out 2 levels of age \(18-34, 35-64\)"):
        calibrate(people, {"(Intercept)": 51.9e6, "age65+": 13.9e6})
    with pytest.raises(SurveyError, match=r"level F of sex is implied by the population size"):
        calibrate(people, {"sexH": 25.0e6})
    with pytest.raises(SurveyError, match="level F would get a negative total"):
        calibrate(people, {"(Intercept)": 20e6, "sexH": 25.0e6})
    with pytest.raises(SurveyError, match="calibration total sexX: no such column"):
        calibrate(people, {"(Intercept)": 51.9e6, "sexX": 25.0e6})
