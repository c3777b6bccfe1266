"""What every engine's worker shares: step timing, peak memory, the margin gap and the JSON report.

Workers (ours in survey_engine.py, Python peers in peers/) import this module; it needs only NumPy,
Polars and the standard library so that it also runs in the peers' own venv.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import MARGINS, QUESTIONS

T = TypeVar("T")


class Steps:
    """Times named steps (wall and CPU seconds, the machine's 1-minute load average as each
    starts) and records the process's peak resident memory after each."""

    def __init__(self, engine: str, folder: Path) -> None:
        self.engine = engine
        self.folder = folder
        self.frame = pl.read_parquet(folder / "data.parquet")
        self.targets: dict[str, dict[str, float]] = json.loads(
            (folder / "targets.json").read_text()
        )["margins"]
        self.timings: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.load: dict[str, float] = {}
        self.report: dict[str, Any] = {"engine": engine, "rows": self.frame.height, "notes": []}

    def run(self, name: str, step: Callable[[], T]) -> T:
        self.load[name] = os.getloadavg()[0]
        start, cpu = time.perf_counter(), time.process_time()
        value = step()
        self.timings[name] = time.perf_counter() - start
        self.cpu[name] = time.process_time() - cpu
        self.peak_mb[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return value

    def max_gap(self, weights: np.ndarray) -> float:
        """Largest |weighted count − target| / target over every level of the five margins."""
        gaps = []
        for margin in MARGINS:
            codes = self.frame.get_column(margin).to_numpy().astype(np.int64)
            got = np.bincount(codes, weights=weights)
            for level, want in self.targets[margin].items():
                gaps.append(abs(got[int(level)] - want) / want)
        return float(max(gaps))

    def emit(self, **results: Any) -> None:
        """Print the report as the last line of stdout (the driver reads it)."""
        self.report.update(
            results, timings=self.timings, peak_mb=self.peak_mb, cpu=self.cpu, load=self.load
        )
        print(json.dumps(self.report))


__all__ = ["MARGINS", "QUESTIONS", "Steps"]
