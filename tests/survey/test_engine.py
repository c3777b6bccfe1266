"""Design validation, lonely-PSU policies, domains, missing values, replicates and tests.

Reference numbers come from R 4.2.2 / survey 4.1.1 (the R code is quoted above each check).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from observatoire.survey import (
    Design,
    SurveyError,
    as_replicate,
    ciprop,
    degrees_of_freedom,
    difference,
    domain_vs_rest,
    independent_differences,
    mean,
    quantile,
    total,
    total_variance,
)
from observatoire.survey.replicates import hadamard

# d <- data.frame(s=c(1,1,1,1,2,2,2,3,3), psu=c(1,1,2,3,4,5,5,6,6),
#                 w=c(2,2,3,3,4,4,5,6,6), y=c(1.5,2,3,4,2,6,7,1,9))
SMALL = pl.DataFrame(
    {
        "s": [1, 1, 1, 1, 2, 2, 2, 3, 3],
        "psu": [1, 1, 2, 3, 4, 5, 5, 6, 6],
        "w": [2.0, 2, 3, 3, 4, 4, 5, 6, 6],
        "y": [1.5, 2, 3, 4, 2, 6, 7, 1, 9],
    }
)


def small(policy: str = "fail", frame: pl.DataFrame = SMALL) -> Design:
    return Design.from_frame(frame, ids="psu", strata="s", weights="w", lonely_psu=policy)


@pytest.mark.parametrize(
    ("policy", "se"),
    [
        ("certainty", 0.858259719396869),
        ("remove", 0.858259719396869),
        ("adjust", 0.880337294792787),
        ("average", 1.0511491896533),
    ],
)
def test_lonely_psu_policies_match_r(policy: str, se: float) -> None:
    # options(survey.lonely.psu=policy); SE(svymean(~y, svydesign(id=~psu, strata=~s, ...)))
    estimates = mean(small(policy), "y")
    assert estimates.estimate[0] == pytest.approx(4.42857142857143, rel=1e-12)
    assert estimates.se[0] == pytest.approx(se, rel=1e-12)


def test_lonely_psu_fails_by_default_naming_the_stratum() -> None:
    with pytest.raises(SurveyError, match="stratum 3 has only one PSU"):
        mean(small(), "y")


def test_na_rm_keeps_the_psus_and_missing_values_raise_without_it() -> None:
    frame = SMALL.filter(pl.col("s") != 3).with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(None).otherwise(pl.col("y")).alias("y2")
    )
    # svymean(~y2, design, na.rm=TRUE): 4.3, SE 1.55396267651447
    estimates = mean(small(frame=frame), "y2", na_rm=True)
    assert estimates.estimate[0] == pytest.approx(4.3, rel=1e-12)
    assert estimates.se[0] == pytest.approx(1.55396267651447, rel=1e-12)
    with pytest.raises(SurveyError, match="1 row"):
        mean(small(frame=frame), "y2")


def test_domain_keeps_the_design_and_counts_only_domain_psus() -> None:
    design = small(frame=SMALL.filter(pl.col("s") != 3)).subset(pl.col("y") > 2)
    # degf(subset(des, y > 2)) = 1; SE(svymean(~y, sub)) = 0.837987005998435
    assert degrees_of_freedom(design) == 1
    assert mean(design, "y").se[0] == pytest.approx(0.837987005998435, rel=1e-12)
    assert design.n == 7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": "missing"}, "weights column not found"),
        ({"weights": "y", "ids": "psu", "strata": "s"}, None),
        ({"ids": "psu", "strata": "g", "weights": "w"}, "PSU codes are reused across strata"),
        ({"ids": "psu", "fpc": "n", "weights": "w"}, "smaller than the sample"),
        ({"lonely_psu": "collapse"}, "unknown lonely_psu policy"),
        ({"ids": ["s", "psu"], "fpc": "n"}, "one per stage"),
        ({"ids": "psu", "fpc": "w"}, "varies within"),
    ],
)
def test_bad_designs_say_what_is_wrong(kwargs: dict, message: str | None) -> None:
    frame = SMALL.with_columns(
        g=pl.Series([1, 2, 1, 2, 1, 2, 1, 2, 1]), n=pl.lit(3), y=pl.col("y") - 3
    )
    with pytest.raises(SurveyError, match=message or "zero or negative"):
        Design.from_frame(frame, **kwargs)


def test_null_weights_are_rejected() -> None:
    frame = SMALL.with_columns(pl.when(pl.col("s") == 2).then(None).otherwise("w").alias("w"))
    with pytest.raises(SurveyError, match="3 missing value"):
        Design.from_frame(frame, weights="w")


def test_fractions_and_counts_give_the_same_design() -> None:
    frame = SMALL.with_columns(N=pl.lit(12), f=pl.lit(6 / 12))
    by_count = Design.from_frame(frame, ids="psu", fpc="N")
    by_fraction = Design.from_frame(frame, ids="psu", fpc="f")
    np.testing.assert_allclose(by_count.fpc[0], by_fraction.fpc[0])
    np.testing.assert_allclose(by_count.weights, 2.0)


def test_by_order_labels_and_domain_contrasts() -> None:
    design = small("remove")
    by_stratum = mean(design, "y", by="s", covariance=True)
    assert by_stratum.labels == ["1:y", "2:y", "3:y"]
    contrast = difference(by_stratum, "1:y", "2:y")
    assert contrast.estimate[0] == pytest.approx(by_stratum.estimate[1] - by_stratum.estimate[0])
    assert contrast.se[0] > 0 and 0 <= contrast.p_value[0] <= 1
    rest = domain_vs_rest(design, "y", pl.col("s") == 2)
    others = mean(design.subset(pl.col("s") != 2), "y").estimate[0]
    assert rest.estimate[0] == pytest.approx(by_stratum.estimate[1] - others)


def test_independent_waves_add_their_variances() -> None:
    first, second = mean(small("remove"), "y"), total(small("remove"), "y")
    result = independent_differences({"first": first, "second": second})
    assert result.se[0] == pytest.approx(np.hypot(first.se[0], second.se[0]))
    assert result.df[0] == first.df + second.df


def test_factor_levels_are_proportions_in_sorted_order() -> None:
    frame = SMALL.with_columns(a=pl.Series(["b", "a", "b", "c", "a", "a", "b", "c", "a"]))
    estimates = mean(small("remove", frame), "a")
    assert estimates.labels == ["aa", "ab", "ac"]
    assert estimates.estimate.sum() == pytest.approx(1.0)


def test_replicate_jackknife_variance_of_a_total_is_the_linearised_one() -> None:
    design = Design.from_frame(SMALL, ids="psu", weights="w")
    linear = total(design, "y").se[0]
    jackknife = total(as_replicate(design, "JK1"), "y").se[0]
    assert jackknife == pytest.approx(linear, rel=1e-12)


def test_seeded_bootstrap_is_reproducible() -> None:
    design = Design.from_frame(SMALL, ids="psu", weights="w")
    first = as_replicate(design, "bootstrap", replicates=20, seed=3)
    second = as_replicate(design, "bootstrap", replicates=20, seed=3)
    assert first.replicates is not None and second.replicates is not None
    np.testing.assert_array_equal(first.replicates.weights, second.replicates.weights)


def test_quantile_and_ciprop_tables() -> None:
    design = small("remove")
    q = quantile(design, "y", [0.5], qrule="hf7", level=0.5)
    assert q.labels == ["y.0.5"]
    assert q.table["ci_low"][0] <= q.estimate[0] <= q.table["ci_high"][0]
    prop = ciprop(design, "s", 1, method="beta")
    assert prop.table["ci_low"][0] < prop.estimate[0] < prop.table["ci_high"][0]


def test_brr_from_a_design_gives_the_linearised_variance_of_a_total() -> None:
    frame = pl.read_csv(Path(__file__).parent / "conformance" / "rsurvey" / "data" / "scd_ext.csv")
    design = Design.from_frame(frame, ids="ambulance", strata="ESA", nest=True)
    brr = as_replicate(design, "BRR")
    assert brr.replicates is not None and brr.replicates.count == 4
    np.testing.assert_allclose(total(brr, "arrests").se, total(design, "arrests").se, rtol=1e-12)


@pytest.mark.parametrize("ids", [None, "psu"])
def test_domain_covariance_from_sufficient_statistics_equals_the_score_matrix(ids) -> None:
    rng = np.random.default_rng(7)
    n = 400
    frame = pl.DataFrame(
        {
            "s": rng.integers(0, 4, n),
            "psu": rng.integers(0, 40, n),
            "g": rng.choice(["a", "b", "c"], n),
            "y": rng.normal(size=n),
            "z": rng.integers(0, 2, n).astype(float),
            "w": rng.uniform(1, 3, n),
        }
    )
    design = Design.from_frame(frame, ids=ids, strata="s", weights="w", nest=True)
    fast = mean(design, ["y", "z"], by="g", covariance=True)
    w = design.weights
    scores = []
    for variable in ("y", "z"):
        values = frame[variable].to_numpy()
        for level in ["a", "b", "c"]:
            mask = (frame["g"] == level).to_numpy()
            estimate = fast.estimate[len(scores)]
            assert fast.table["g"][len(scores)] == level
            scores.append(w * mask * (values - estimate) / (w * mask).sum())
    reference = total_variance(design, np.column_stack(scores), covariance=True)
    np.testing.assert_allclose(fast.vcov, reference, rtol=1e-10, atol=1e-14)
    diagonal = mean(design, ["y", "z"], by="g").vcov
    np.testing.assert_allclose(np.diag(diagonal), np.diag(reference), rtol=1e-10)


def test_contrasts_match_r_svycontrast() -> None:
    frame = pl.read_csv(
        Path(__file__).parent / "conformance" / "rsurvey" / "data" / "apiclus1.csv",
        null_values=[""],
        infer_schema_length=None,
    )
    design = Design.from_frame(frame, ids="dnum", weights="pw", fpc="fpc")
    # svycontrast(svyby(~api00, ~I(stype=="E"), dclus1, svymean, covmat=TRUE), c(-1, 1))
    rest = domain_vs_rest(design, "api00", pl.col("stype") == "E")
    assert rest.estimate[0] == pytest.approx(22.0475427350427, rel=1e-12)
    assert rest.se[0] == pytest.approx(13.6284507811508, rel=1e-12)
    # the same on as.svrepdesign(dclus1, type="JK1"): SE 14.2020146597963
    jackknife = domain_vs_rest(as_replicate(design, "JK1"), "api00", pl.col("stype") == "E")
    assert jackknife.se[0] == pytest.approx(14.2020146597963, rel=1e-12)
    # svycontrast(svyby(~api00, ~stype, dclus1, svymean, covmat=TRUE), c(-1, 1, 0))
    by_type = mean(design, "api00", by="stype", covariance=True)
    contrast = difference(by_type, "E:api00", "H:api00")
    assert contrast.estimate[0] == pytest.approx(-30.296626984127, rel=1e-12)
    assert contrast.se[0] == pytest.approx(30.0276061918454, rel=1e-12)


def test_categorical_and_enum_levels_follow_r_factor_order() -> None:
    frame = SMALL.with_columns(
        cat=pl.Series(["b", "a", "b", "c", "a", "a", "b", "c", "a"], dtype=pl.Categorical),
        enum=pl.Series(
            ["lo", "hi", "lo", "mid", "hi", "hi", "lo", "mid", "hi"],
            dtype=pl.Enum(["lo", "mid", "hi"]),
        ),
    )
    design = small("remove", frame)
    assert mean(design, "cat").labels == ["cata", "catb", "catc"]
    assert mean(design, "enum").labels == ["enumlo", "enummid", "enumhi"]


def test_pandas_input_gives_the_same_design() -> None:
    from_pandas = Design.from_frame(
        SMALL.to_pandas(), ids="psu", strata="s", weights="w", lonely_psu="remove"
    )
    assert mean(from_pandas, "y").se[0] == pytest.approx(mean(small("remove"), "y").se[0])


def test_by_a_categorical_column_sorts_its_levels_as_text() -> None:
    frame = SMALL.with_columns(
        g=pl.Series(["z", "a", "z", "m", "a", "a", "z", "m", "a"], dtype=pl.Categorical)
    )
    assert mean(small("remove", frame), "y", by="g").labels == ["a:y", "m:y", "z:y"]


def test_a_jackknife_with_one_replicate_per_row_of_a_large_sample_is_refused() -> None:
    frame = pl.DataFrame({"y": np.arange(30_000, dtype=float)})
    with pytest.raises(SurveyError, match="too many"):
        as_replicate(Design.from_frame(frame), "JK1")


def test_replicate_degrees_of_freedom_are_the_rank_minus_one() -> None:
    design = as_replicate(Design.from_frame(SMALL, ids="psu", weights="w"), "JK1")
    assert degrees_of_freedom(design) == 5


def test_hadamard_matrices_are_rs() -> None:
    # survey:::hadamard.list[[1]], and nrow(hadamard(n)) in R for Paley / Sylvester cases
    assert hadamard(3).tolist() == [[1, 1, 1, 1], [1, 0, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1]]
    orders = {4: 8, 8: 12, 12: 16, 16: 20, 20: 24, 40: 44, 60: 64, 100: 104}
    for n, order in orders.items():
        matrix = 2 * hadamard(n) - 1
        assert matrix.shape == (order, order)
        np.testing.assert_array_equal(matrix @ matrix.T, order * np.eye(order))
