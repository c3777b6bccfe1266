"""PPS designs, Fay replicates, svyvar and R's design options: what the R cases cannot show
(bad input always a SurveyError naming the problem; structured Ď equal to the full matrix)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from observatoire.survey import HR, Design, SurveyError, as_replicate, mean, ppsmat, total, var
from observatoire.survey.conformance import read_data
from observatoire.survey.replicates import from_columns

DATA = Path(__file__).parent / "conformance" / "engine" / "data"


def election() -> pl.DataFrame:
    return read_data(DATA / "election_pps.csv")


def joint() -> np.ndarray:
    return read_data(DATA / "election_jointprob.csv").to_numpy()


def _dense_delta(
    prob: np.ndarray, strata: np.ndarray, method: str, psum: float | None
) -> np.ndarray:
    """R's HRDcheck / overton2Dcheck, written out as the full matrix."""
    size = np.bincount(strata)[strata]
    fbar = np.add.outer(prob, prob) / (2 if method == "overton" else 1)
    n = size[:, None]
    if method == "overton":
        delta = 1 - (n - fbar) / (n - 1)
    else:
        p2bar = (
            psum
            if psum is not None
            else (np.bincount(strata, prob) / np.bincount(strata))[strata][:, None]
        )
        delta = 1 - (n - fbar + p2bar) / (n - 1)
    delta[(strata[:, None] != strata[None, :]) | (fbar == 1)] = 0.0
    np.fill_diagonal(delta, 1 - prob)
    return delta


@pytest.mark.parametrize(("method", "psum"), [("overton", None), ("HR", None), ("HR", 0.2)])
def test_structured_joint_probabilities_equal_rs_full_matrix(method: str, psum) -> None:
    rng = np.random.default_rng(5)
    prob = np.round(rng.uniform(0.05, 0.95, 30), 2)
    prob[:4] = [0.25, 0.75, 0.5, 0.5]  # pairs summing to 1: R sets Hartley–Rao's Ď to 0
    strata = np.repeat([0, 1, 2], 10)
    y = rng.normal(size=(30, 3))
    frame = pl.DataFrame({"s": strata, "p": prob, "a": y[:, 0], "b": y[:, 1], "c": y[:, 2]})
    pps = "overton" if method == "overton" else HR(psum)
    design = Design.from_frame(frame, strata="s", probs="p", pps=pps)
    got = total(design, ["a", "b", "c"]).vcov
    xcheck = y / prob[:, None]
    want = xcheck.T @ _dense_delta(prob, strata, method, psum) @ xcheck
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_yates_grundy_subtracts_the_column_sums() -> None:
    frame = election()
    ht = Design.from_frame(frame, fpc="p", pps=ppsmat(joint()))
    yg = Design.from_frame(frame, fpc="p", pps=ppsmat(joint()), variance="YG")
    assert total(yg, "Bush").se[0] < total(ht, "Bush").se[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fpc": "TotPrecincts", "pps": "brewer"}, "inclusion probabilities"),
        ({"fpc": "p", "pps": "other"}, "unknown pps method"),
        ({"fpc": "p", "variance": "YG"}, "variance='YG' needs a PPS design"),
        ({"fpc": "p", "pps": "overton", "variance": "XY"}, "unknown variance"),
        ({"fpc": "p", "pps": HR(1.5)}, "HR\\(psum\\) must be between 0 and 1"),
        ({"fpc": "p", "pps": HR({"1": 0.1, "2": 0.1}), "strata": "nader"}, "no value for stratum"),
        ({"fpc": "p", "pps": ppsmat(np.eye(3) * 0.5)}, "3 × 3, the design has 40 PSUs"),
        ({"fpc": "p", "pps": ppsmat(np.full((40, 40), 0.5))}, "diagonal"),
        ({"ids": ["County", "nader"], "fpc": ["p", "p"], "pps": "overton"}, "pps='brewer' only"),
        ({"weights": "wt", "pps": "overton", "ids": "nader"}, "varies within a PSU"),
    ],
)
def test_bad_pps_designs_say_what_is_wrong(kwargs: dict, message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        Design.from_frame(election(), **kwargs)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[0.5, 0.2, 0.1]], "square"),
        ([[0.5, 0.2], [0.1, 0.5]], "symmetric"),
        ([[0.5, 1.2], [1.2, 0.5]], "between 0 and 1"),
        ([[0.5, float("nan")], [float("nan"), 0.5]], "between 0 and 1"),
    ],
)
def test_bad_joint_probabilities_are_refused(matrix: list, message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        ppsmat(matrix)


def test_a_zero_joint_probability_is_refused() -> None:
    matrix = joint()
    matrix[0, 1] = matrix[1, 0] = 0.0
    with pytest.raises(SurveyError, match="joint inclusion probability is 0"):
        Design.from_frame(election(), fpc="p", pps=ppsmat(matrix))


def test_fay_needs_a_rho_in_range() -> None:
    frame = read_data(DATA / "scd_fay.csv")
    design = Design.from_frame(frame, ids="ambulance", strata="ESA", nest=True)
    with pytest.raises(SurveyError, match="rho must be in"):
        as_replicate(design, "Fay")
    with pytest.raises(SurveyError, match="rho must be in"):
        as_replicate(design, "BRR", fay_rho=1.0)
    with pytest.raises(SurveyError, match="needs Fay's rho"):
        from_columns(frame, None, ["fay1", "fay2"], "Fay", combined_weights=False)
    with pytest.raises(SurveyError, match="rho is for type 'Fay'"):
        from_columns(frame, None, ["brr1", "brr2"], "BRR", combined_weights=False, rho=0.5)
    brr = as_replicate(design, "BRR")
    fay = as_replicate(design, "BRR", fay_rho=0.5)
    assert fay.replicates is not None and fay.replicates.type == "Fay"
    # Linear statistics: Fay's variance equals BRR's.
    assert total(fay, "alive").se[0] == pytest.approx(total(brr, "alive").se[0], rel=1e-12)


def test_auto_replicates_follow_the_declared_strata() -> None:
    frame = pl.DataFrame({"s": [1] * 6, "psu": [1, 1, 2, 2, 3, 3], "y": [1.0, 2, 3, 4, 5, 7]})
    one_stratum = Design.from_frame(frame, ids="psu", strata="s")
    rep = as_replicate(one_stratum)
    assert rep.replicates is not None and rep.replicates.type == "JKn"  # R: has.strata
    with pytest.raises(SurveyError, match="JK1 needs an unstratified design"):
        as_replicate(one_stratum, "JK1")
    overton = Design.from_frame(election(), fpc="p", pps="overton")
    with pytest.raises(SurveyError, match="PPS"):
        as_replicate(overton)


def test_variances_refuse_text_columns() -> None:
    with pytest.raises(SurveyError, match="numeric"):
        var(Design.from_frame(election(), fpc="p", pps="brewer"), "nader")


def test_ultimate_cluster_and_domain_lonely_switches_belong_to_the_design() -> None:
    frame = pl.DataFrame(
        {
            "s": [1, 1, 1, 1, 2, 2, 2, 2],
            "psu": [1, 1, 2, 2, 3, 3, 4, 4],
            "ssu": [1, 2, 3, 4, 5, 6, 7, 8],
            "n1": [4] * 8,
            "n2": [5] * 8,
            "g": ["a", "b", "b", "b", "a", "b", "b", "b"],
            "y": [1.0, 2, 4, 3, 5, 8, 6, 9],
        }
    )
    two_stage = Design.from_frame(frame, ids=["psu", "ssu"], strata="s", fpc=["n1", "n2"])
    ultimate = Design.from_frame(
        frame, ids=["psu", "ssu"], strata="s", fpc=["n1", "n2"], ultimate_cluster=True
    )
    assert mean(ultimate, "y").se[0] < mean(two_stage, "y").se[0]
    # Domain a holds one PSU of each stratum: lonely in that domain with the switch only.
    plain = Design.from_frame(frame, ids="psu", strata="s", lonely_psu="adjust")
    adjusted = Design.from_frame(
        frame, ids="psu", strata="s", lonely_psu="adjust", adjust_domain_lonely=True
    )
    by_plain = mean(plain, "y", by="g").se
    by_adjusted = mean(adjusted, "y", by="g").se
    assert by_adjusted[0] != pytest.approx(by_plain[0])  # domain a
    assert by_adjusted[1] == pytest.approx(by_plain[1], rel=1e-12)  # domain b: 2 PSUs each
