"""Region-vs-rest contrasts agree with the engine's own domain_vs_rest test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from observatoire.studies.compute import weight_wave
from observatoire.studies.compute.comparisons import versus_rest
from observatoire.studies.compute.estimates import Base, estimate
from observatoire.studies.compute.figures import analysis_frame
from observatoire.studies.spec.validate import validate_study
from observatoire.survey.comparisons import domain_vs_rest


@pytest.fixture(scope="module")
def weighted() -> dict[str, Any]:
    study, waves = validate_study(Path(__file__).resolve().parents[2] / "studies/impact-citoyens")
    wave = study.latest
    data, families = analysis_frame(study, wave.id, waves[wave.id])
    design, weighting = weight_wave(study, wave, data)
    return {"study": study, "data": data, "families": families, "design": design,
            "weighting": weighting}  # fmt: skip


def test_raking_reaches_every_target(weighted: dict[str, Any]) -> None:
    achieved = weighted["weighting"].achieved
    assert achieved.height == 12 + 2 + 5 + 3 + 4
    gap = (pl.col("achieved") - pl.col("target")).abs() > 1e-6 * pl.col("target")
    assert achieved.filter(gap).is_empty()


@pytest.mark.parametrize(
    ("question", "item", "tolerance"), [("Q1", None, 1e-9), ("Q3", "sante", 1e-4)]
)
def test_region_vs_rest_matches_the_engine(
    weighted: dict[str, Any], question: str, item: str | None, tolerance: float
) -> None:
    """Exact for full bases; with "don't know" answers the regions' bases are taken as fixed."""
    family = next(f for f in weighted["families"] if f.source.code == question and f.item == item)
    design = weighted["design"]
    base = Base(weighted["data"][family.answered].to_numpy(), family.figures)
    regional, estimates = estimate(design, base, "region", 0.95, covariance=True)
    contrasts = versus_rest(
        weighted["study"], regional.rename({"region": "territory"}), estimates.vcov
    )
    columns = [f.column for f in family.figures]
    order = pl.DataFrame({"variable": columns, "_sequence": range(len(columns))})
    for code in ("52", "11", "32"):
        engine = domain_vs_rest(design.subset(base.answered), columns, pl.col("region") == code)
        mine = contrasts.filter(pl.col("territory") == code).join(order, on="variable")
        mine = mine.sort("_sequence")
        np.testing.assert_allclose(mine["estimate"], engine.estimate, rtol=1e-9)
        np.testing.assert_allclose(mine["se"], engine.se, rtol=tolerance)
