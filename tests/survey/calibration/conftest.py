"""Designs on R's `api` data (the conformance copy) and small synthetic samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from observatoire.survey.design import Design

DATA = Path(__file__).parent.parent / "conformance" / "rsurvey" / "data"


def read_api(name: str) -> pl.DataFrame:
    """An `api` data set as R's read.csv(na.strings='') reads it."""
    return pl.read_csv(DATA / f"{name}.csv", null_values=[""], infer_schema_length=None)


@pytest.fixture(scope="session")
def dclus1() -> Design:
    """svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)"""
    return Design.from_frame(read_api("apiclus1"), ids=["dnum"], weights="pw", fpc=["fpc"])


@pytest.fixture(scope="session")
def dstrat() -> Design:
    """svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)"""
    return Design.from_frame(read_api("apistrat"), strata="stype", weights="pw", fpc=["fpc"])


@pytest.fixture(scope="session")
def people() -> Design:
    """2,000 synthetic respondents (design weights summing to about 52 million), with sex, age
    band, region and income."""
    rng = np.random.default_rng(20221103)
    n = 2_000
    frame = pl.DataFrame(
        {
            "sex": rng.choice(["F", "H"], n, p=[0.6, 0.4]),
            "age": rng.choice(["18-34", "35-64", "65+"], n, p=[0.2, 0.5, 0.3]),
            "region": rng.integers(1, 5, n),
            "income": rng.gamma(4.0, 500.0, n),
            "w": np.exp(rng.normal(0.0, 0.4, n)) * 24_000,
        }
    )
    return Design.from_frame(frame, weights="w")
