"""The seeded synthetic survey of the engine benchmark (shared/benchmarks/survey_workload.md).

`generate(rows, seed, folder)` writes `data.parquet`, `data.csv` and `targets.json` once; every
engine of the benchmark reads those same files. Columns are generated one at a time so that 10
million rows stay within a few GiB.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl

REGION_SHARES = [12, 10, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7]
REGION_BASE = [800, 900, 1000, 1000, 1100, 1100, 1000, 900, 1200, 1000, 950, 1050]
MARGIN_SHARES = {
    "sex": [45, 55],
    "age": [8, 14, 18, 20, 20, 20],
    "edu": [15, 30, 35, 20],
    "income": [20, 25, 25, 18, 12],
    "urban": [55, 30, 15],
}
TARGET_SHARES = {
    "sex": [49, 51],
    "age": [12, 17, 17, 18, 18, 18],
    "edu": [20, 30, 30, 20],
    "income": [20, 20, 20, 20, 20],
    "urban": [50, 30, 20],
}
AGE_EFFECT = np.array([-1, -0.6, -0.2, 0.2, 0.6, 1])
EDU_EFFECT = np.array([-0.6, -0.2, 0.2, 0.6])
REGION_EFFECT = np.linspace(-1, 1, 12)
QUESTIONS = [f"q{k:02d}" for k in range(1, 21)]
MARGINS = list(TARGET_SHARES)
POPULATION_PER_ROW = 1000


def _draw(rng: np.random.Generator, shares: list[int], rows: int) -> np.ndarray:
    """Codes 0..k-1 with the given percentages."""
    return rng.choice(len(shares), size=rows, p=np.asarray(shares) / sum(shares)).astype(np.int8)


def targets(rows: int) -> dict[str, dict[str, float]]:
    """Population totals of each raking margin, level code (as text) → count."""
    population = POPULATION_PER_ROW * rows
    return {
        margin: {str(code + 1): share / 100 * population for code, share in enumerate(shares)}
        for margin, shares in TARGET_SHARES.items()
    }


def generate(rows: int, seed: int, folder: Path) -> Path:
    """Write the workload for `rows` rows into `folder` (kept if already there); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "targets.json"
    if done.exists():
        return folder
    rng = np.random.default_rng(seed)
    region = _draw(rng, REGION_SHARES, rows)
    codes = {margin: _draw(rng, shares, rows) for margin, shares in MARGIN_SHARES.items()}
    group6 = rng.integers(0, 6, size=rows, dtype=np.int8)
    w0 = np.asarray(REGION_BASE, dtype=np.float64)[region] * np.exp(rng.normal(0, 0.35, rows))
    columns: dict[str, pl.Series] = {
        "region": pl.Series(np.array([f"R{r + 1:02d}" for r in range(12)])[region]),
        **{margin: pl.Series(code + 1) for margin, code in codes.items()},
        "group6": pl.Series(group6 + 1),
        "w0": pl.Series(w0),
    }
    base = 5.5 + REGION_EFFECT[region] * 0.5
    profile = AGE_EFFECT[codes["age"]] + EDU_EFFECT[codes["edu"]]
    for k, name in enumerate(QUESTIONS):
        slope = 1 - k / 19 * 1.5
        score = np.rint(base + profile * slope + rng.normal(0, 2, rows))
        columns[name] = pl.Series(np.clip(score, 1, 10).astype(np.int8))
    frame = pl.DataFrame(columns)
    frame.write_parquet(folder / "data.parquet")
    frame.write_csv(folder / "data.csv")
    done.write_text(json.dumps({"rows": rows, "seed": seed, "margins": targets(rows)}))
    return folder
