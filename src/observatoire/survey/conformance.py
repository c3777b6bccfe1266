"""Conformance runner: reproduce R `survey` results stored as JSON cases.

    python -m observatoire.survey.conformance PATH/TO/cases

prints one line per case, then "N passed, M failed", and exits 0 iff M == 0. Each case names its
data file relative to the case file's folder, a design, an optional domain and calibration, one
estimation call and R's numbers (format: docs/survey-engine.md and the cases' README).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from observatoire.survey import comparisons, means, proportions, quantiles, replicates, tests
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.estimates import Estimates
from observatoire.survey.pps import HR, PPS, ppsmat


@dataclass(frozen=True)
class CaseResult:
    """Outcome of one case: passed, or the first mismatch found."""

    case_id: str
    passed: bool
    message: str = ""


def read_data(path: Path) -> pl.DataFrame:
    """A case's CSV as R's `read.csv(na.strings='')` sees it: empty fields are missing."""
    return pl.read_csv(path, infer_schema_length=None, null_values=[""])


def build_design(case: dict[str, Any], base: Path) -> Design:
    """The case's design, domain and calibration."""
    data = read_data(base / case["data"])
    spec = case["design"]
    rep = spec.get("replicates")
    if rep and rep.get("weights_columns"):
        design = replicates.from_columns(
            data,
            spec.get("weights"),
            rep["weights_columns"],
            rep["type"],
            combined_weights=rep.get("combined_weights", True),
            scale=rep.get("scale"),
            rscales=rep.get("rscales"),
            mse=bool(rep.get("mse", False)),
            rho=rep.get("rho"),
        )
    else:
        design = Design.from_frame(
            data,
            ids=spec.get("ids") or [],
            strata=spec.get("strata"),
            weights=spec.get("weights"),
            probs=spec.get("probs"),
            fpc=spec.get("fpc") or [],
            nest=bool(spec.get("nest", False)),
            lonely_psu=spec.get("lonely_psu", "fail"),
            pps=_pps(spec.get("pps"), base),
            variance=spec.get("variance", "HT"),
            ultimate_cluster=bool(spec.get("ultimate_cluster", False)),
            adjust_domain_lonely=bool(spec.get("adjust_domain_lonely", False)),
        )
        if rep:
            design = replicates.as_replicate(
                design,
                rep["type"],
                rep.get("replicates"),
                rep.get("seed"),
                fay_rho=float(rep.get("fay_rho", 0.0)),
                mse=bool(rep.get("mse", False)),
            )
    if case.get("calibration"):
        from observatoire.survey.calibration import apply_calibration

        design = apply_calibration(design, case["calibration"])
    if case.get("subset"):
        domain = case["subset"]
        design = design.subset(pl.col(domain["column"]) == domain["equals"])
    return design


def _pps(spec: Any, base: Path) -> PPS | None:
    """A case's `design.pps`: "brewer", "overton", {"method": "HR", "psum": p} or
    {"method": "ppsmat", "joint": "../data/FILE.csv", "tolerance": t} (a CSV matrix with a
    header row)."""
    if not isinstance(spec, dict):  # None, "brewer" or "overton" (the design checks it)
        return spec
    if spec.get("method") == "HR":
        return HR(spec.get("psum"))
    if spec.get("method") == "ppsmat":
        joint = read_data(base / spec["joint"]).to_numpy()
        return ppsmat(joint, spec.get("tolerance", 1e-4))
    raise SurveyError(f"unknown pps {spec!r}", field="design.pps")


def estimate(spec: dict[str, Any], design: Design, statistic: str) -> Estimates:
    """The case's estimator call (`statistic` mean, total, var, ratio, quantile or ciprop)."""
    options = spec.get("options") or {}
    variables = spec.get("variables") or []
    by = spec.get("by") or None
    common = {"na_rm": bool(spec.get("na_rm", False)), "level": spec.get("level", 0.95)}
    if statistic in ("mean", "total"):
        function = means.mean if statistic == "mean" else means.total
        covariance = options.get("covariance")
        deff = options.get("deff", False)
        return function(design, variables, by=by, deff=deff, covariance=covariance, **common)
    if statistic == "var":
        return means.var(design, variables, by=by, **common)
    if statistic == "ratio":
        covariance = options.get("covariance")
        denominator = spec["denominator"]
        return means.ratio(design, variables, denominator, by=by, covariance=covariance, **common)
    if statistic == "quantile":
        return quantiles.quantile(
            design,
            variables[0],
            spec["quantiles"],
            by=by,
            qrule=options.get("qrule", "math"),
            interval_type=options.get("interval_type", "mean"),
            **common,
        )
    if statistic == "ciprop":
        return proportions.ciprop(
            design,
            variables[0],
            options["equals"],
            method=options.get("method", "logit"),
            **common,
        )
    raise SurveyError(f"unknown statistic {statistic!r}", field="estimate.statistic")


def compute(case: dict[str, Any], design: Design) -> dict[str, Any]:
    """Run the case's estimation call; returns the quantities R reported."""
    spec = case["estimate"]
    statistic = spec["statistic"]
    variables = spec.get("variables") or []
    na_rm = bool(spec.get("na_rm", False))
    level = spec.get("level", 0.95)
    if statistic == "ttest":
        by = (spec.get("by") or [None])[0]
        return _compared(tests.ttest(design, variables[0], by, na_rm=na_rm, level=level))
    if statistic == "chisq":
        test = (spec.get("options") or {})["statistic"]
        chi = tests.chisq(design, variables[0], variables[1], statistic=test, na_rm=na_rm)
        return _compared(chi)
    if statistic == "contrast":
        base = estimate(spec, design, spec["of"])
        return _compared(comparisons.contrast(base, spec["contrasts"], level=level))
    result = estimate(spec, design, statistic)
    table = result.table
    out: dict[str, Any] = {
        "labels": result.labels,
        "estimate": table["estimate"].to_list(),
        "se": table["se"].to_list(),
        "ci_low": table["ci_low"].to_list(),
        "ci_high": table["ci_high"].to_list(),
    }
    if "deff" in table.columns:
        out["deff"] = table["deff"].to_list()
    w = design.weights
    out["weights"] = {
        "sum": float(w.sum()),
        "min": float(w.min()),
        "max": float(w.max()),
        "first10": w[:10].tolist(),
    }
    return out


def _compared(result: comparisons.Comparison) -> dict[str, Any]:
    """A comparison's numbers as R reports them: one statistic, df (an F's two) and p-value
    for a single test, vectors for several contrasts."""
    table = result.table
    single = table.height == 1
    df = [
        value if denominator is None else [value, denominator]
        for value, denominator in zip(table["df"], table["df_denominator"], strict=True)
    ]
    return {
        "labels": result.labels,
        "estimate": table["estimate"].to_list(),
        "se": table["se"].to_list(),
        "ci_low": table["ci_low"].to_list(),
        "ci_high": table["ci_high"].to_list(),
        "statistic": table["statistic"][0] if single else table["statistic"].to_list(),
        "df": df[0] if single else df,
        "p_value": table["p_value"][0] if single else table["p_value"].to_list(),
    }


def _mismatch(name: str, got: Any, want: Any, relative: float, absolute: float) -> str | None:
    """Why `got` differs from `want` (numbers within tolerance, labels exactly), or None."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{name}: got {type(got).__name__}, expected an object"
        for key, value in want.items():
            problem = _mismatch(f"{name}.{key}", got.get(key), value, relative, absolute)
            if problem:
                return problem
        return None
    if isinstance(want, list) and want and isinstance(want[0], str):
        return None if list(got) == want else f"{name}: got {got}, expected {want}"
    expected = np.atleast_1d(np.asarray(want, dtype=np.float64))
    actual = np.atleast_1d(np.asarray(got, dtype=np.float64))
    if actual.shape != expected.shape:
        return f"{name}: got shape {actual.shape}, expected {expected.shape}"
    close = np.isclose(actual, expected, rtol=relative, atol=absolute, equal_nan=True)
    if close.all():
        return None
    i = int(np.flatnonzero(~close)[0])
    return f"{name}[{i}]: got {actual[i]!r}, expected {expected[i]!r}"


def run_case(path: Path) -> CaseResult:
    """Run one case file and compare with R's numbers."""
    case = json.loads(path.read_text(encoding="utf-8"))
    case_id = case.get("id", path.stem)
    tolerance = case.get("tolerance") or {}
    relative = float(tolerance.get("relative", 1e-6))
    absolute = float(tolerance.get("absolute", 1e-9))
    try:
        got = compute(case, build_design(case, path.parent))
    except Exception as error:  # a failing case is reported, never stops the run
        return CaseResult(case_id, False, f"error: {type(error).__name__}: {error}")
    for key, want in case["expected"].items():
        if want is None:
            continue
        if key not in got:
            return CaseResult(case_id, False, f"{key}: not computed")
        problem = _mismatch(key, got[key], want, relative, absolute)
        if problem:
            return CaseResult(case_id, False, problem)
    return CaseResult(case_id, True)


def case_files(folder: Path) -> list[Path]:
    """The case files of a folder, sorted."""
    return sorted(folder.glob("*.json"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run every case of a folder; exit status 0 iff all pass."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m observatoire.survey.conformance PATH/TO/cases", file=sys.stderr)
        return 2
    folder = Path(args[0])
    files = case_files(folder)
    if not files:
        print(f"no case files (*.json) in {folder}", file=sys.stderr)
        return 2
    failed = 0
    for path in files:
        result = run_case(path)
        failed += not result.passed
        status = "PASS" if result.passed else "FAIL"
        suffix = f"  {result.message}" if result.message else ""
        print(f"{status}  {result.case_id}{suffix}")
    print(f"{len(files) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
