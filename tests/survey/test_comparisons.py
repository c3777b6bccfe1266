"""One comparison API: contrasts and differences by label, pairwise and independent-sample
differences, tests — all in one result shape. R 4.2.2 / survey 4.1.1 numbers are quoted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from observatoire.survey import (
    Comparison,
    Design,
    SurveyError,
    chisq,
    contrast,
    difference,
    domain_vs_rest,
    independent_differences,
    mean,
    pairwise,
    ttest,
)
from observatoire.survey.comparisons import SCHEMA
from observatoire.survey.conformance import read_data

API = Path(__file__).parent / "conformance" / "rsurvey" / "data"


@pytest.fixture(scope="module")
def dstrat() -> Design:
    return Design.from_frame(
        read_data(API / "apistrat.csv"), strata="stype", weights="pw", fpc="fpc"
    )


@pytest.fixture(scope="module")
def dclus1() -> Design:
    return Design.from_frame(read_data(API / "apiclus1.csv"), ids="dnum", weights="pw", fpc="fpc")


def test_independent_samples_are_one_design_with_the_sample_as_stratum(dstrat, dclus1) -> None:
    # both <- rbind(apistrat, apiclus1) with wave; strata = wave × stype, PSUs = wave × psu:
    # svycontrast(svyby(~api00, ~wave, svydesign(id=~psu, strata=~st, weights=~pw, fpc=~fpc,
    #   data=both), svymean, covmat=TRUE), c(w1=-1, w2=1)); confint(., df=degf(.)) = 211
    result = independent_differences({"2019": mean(dstrat, "api00"), "2022": mean(dclus1, "api00")})
    row = result.table.row(0, named=True)
    assert (row["label"], row["first"], row["second"]) == ("api00", "2019", "2022")
    assert row["estimate"] == pytest.approx(-18.1179642522169, rel=1e-12)
    assert row["se"] == pytest.approx(25.3528156999223, rel=1e-12)
    assert row["df"] == 211
    assert row["ci_low"] == pytest.approx(-68.0952256361536, rel=1e-12)
    assert row["ci_high"] == pytest.approx(31.8592971317198, rel=1e-12)


def test_several_populations_against_a_reference_or_each_other(dstrat, dclus1) -> None:
    samples = {
        "A": mean(dstrat, ["api00", "api99"]),
        "B": mean(dclus1, ["api00", "api99"]),
        "C": mean(dclus1.subset(pl.col("stype") == "E"), ["api00", "api99"]),
    }
    every = independent_differences(samples)
    assert every.table.select("first", "second").unique(maintain_order=True).rows() == [
        ("A", "B"),
        ("A", "C"),
        ("B", "C"),
    ]
    against = independent_differences(samples, reference="B", labels=["api00"])
    assert against.table.select("label", "first", "second").rows() == [
        ("api00", "B", "A"),
        ("api00", "B", "C"),
    ]
    se = np.hypot(samples["A"].se[0], samples["B"].se[0])
    assert against.se[0] == pytest.approx(se, rel=1e-14)
    bonferroni = independent_differences(samples, labels=["api00"], correction="bonferroni")
    plain = independent_differences(samples, labels=["api00"])
    np.testing.assert_allclose(bonferroni.p_value, np.minimum(plain.p_value * 3, 1.0))
    with pytest.raises(SurveyError, match="no sample named 'Z'"):
        independent_differences(samples, reference="Z")
    with pytest.raises(SurveyError, match="no estimate labelled 'enroll'"):
        independent_differences(samples, labels=["enroll"])
    with pytest.raises(SurveyError, match="two samples or more"):
        independent_differences({"A": samples["A"]})


def test_contrasts_name_estimates_by_label(dclus1) -> None:
    by_type = mean(dclus1, "api00", by="stype", covariance=True)
    two = contrast(by_type, {"EvH": {"E:api00": 1, "H:api00": -1}, "E": {"E:api00": 1}})
    assert two.labels == ["EvH", "E"]
    assert two.estimate[1] == pytest.approx(by_type.estimate[0])
    assert two.vcov.shape == (2, 2)
    again = difference(by_type, "H:api00", "E:api00")
    assert again.estimate[0] == pytest.approx(two.estimate[0], rel=1e-14)
    assert again.table["label"][0] == "E:api00 - H:api00"
    # contrasts of contrasts: the covariance carries over
    nested = contrast(two, {"EvH": 2.0})
    assert nested.se[0] == pytest.approx(2 * two.se[0], rel=1e-14)
    with pytest.raises(SurveyError, match="no estimate labelled 'X:api00'; the labels are E:api00"):
        contrast(by_type, {"X:api00": 1})
    with pytest.raises(SurveyError, match="must be a number"):
        contrast(by_type, {"E:api00": "1"})
    with pytest.raises(SurveyError, match="not both"):
        contrast(by_type, {"a": {"E:api00": 1}, "H:api00": 1})
    without = mean(dclus1, "api00", by="stype")
    with pytest.raises(SurveyError, match="covariance=True"):
        difference(without, "E:api00", "H:api00")


def test_pairwise_differences_of_a_by_table(dclus1) -> None:
    by_type = mean(dclus1, ["api00", "sch.wide"], by="stype", covariance=True)
    pairs = pairwise(by_type)
    assert pairs.table.height == 3 * 3  # api00, sch.wideNo, sch.wideYes: 3 pairs each
    assert pairs.table["label"][0] == "H:api00 - E:api00"
    single = difference(by_type, "E:api00", "H:api00")
    assert pairs.estimate[0] == pytest.approx(single.estimate[0], rel=1e-14)
    assert pairs.se[0] == pytest.approx(single.se[0], rel=1e-14)
    bh = pairwise(by_type, correction="bh")
    assert np.all(bh.p_value >= pairs.p_value - 1e-15)
    with pytest.raises(SurveyError, match="by="):
        pairwise(mean(dclus1, "api00"))
    with pytest.raises(SurveyError, match="unknown correction"):
        pairwise(by_type, correction="holm")  # type: ignore[arg-type]


def test_every_comparison_has_one_shape(dstrat, dclus1) -> None:
    results: list[Comparison] = [
        contrast(mean(dstrat, ["api00", "api99"]), {"api00": 1, "api99": -1}),
        pairwise(mean(dclus1, "api00", by="stype", covariance=True)),
        independent_differences({"a": mean(dstrat, "api00"), "b": mean(dclus1, "api00")}),
        domain_vs_rest(dclus1, "api00", pl.col("stype") == "E"),
        ttest(dstrat, "api00", "awards"),
        ttest(dstrat, "api00"),
        chisq(dstrat, "sch.wide", "awards"),
        chisq(dstrat, "sch.wide", "awards", statistic="Chisq"),
    ]
    for result in results:
        assert result.table.schema == pl.Schema(SCHEMA)
        assert np.all((result.p_value >= 0) & (result.p_value <= 1))


def test_missing_values_need_na_rm_in_tests(dclus1) -> None:
    with pytest.raises(SurveyError, match="na_rm=True"):
        ttest(dclus1, "acs.k3", "sch.wide")
    assert ttest(dclus1, "acs.k3", "sch.wide", na_rm=True).df[0] == 13
    with pytest.raises(SurveyError, match="na_rm=True"):
        chisq(dclus1, "acs.k3", "sch.wide")
    assert chisq(dclus1, "acs.k3", "sch.wide", na_rm=True).p_value[0] <= 1
