"""What a calibration achieved: remaining gaps, weight ratios, design effect of the weighting.

Every calibration step stores a `CalibrationDiagnostics` on its adjustment (the last entry of
``design.calibrations``); `calibration_diagnostics(design)` returns it, so that a report can say
how well the weights hit their targets and what they cost in precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from observatoire.survey.design import Design

GAP_SCHEMA = {
    "margin": pl.String,
    "category": pl.String,
    "target": pl.Float64,
    "achieved": pl.Float64,
    "gap": pl.Float64,
    "relative_gap": pl.Float64,
}


@dataclass(frozen=True)
class Gap:
    """One target and the weighted total reached (`category` is "" for a numeric total)."""

    margin: str
    category: str
    target: float
    achieved: float


@dataclass(frozen=True)
class CalibrationDiagnostics:
    """Report of one weighting step.

    `gaps` has one row per target (margin, category, target, achieved, gap = achieved − target,
    relative_gap = |gap| / |target|); `g_min`/`g_max` bound the weight ratio new / old over
    the rows of positive weight; `kish_deff` = n Σw² / (Σw)² and `effective_n` = (Σw)² / Σw² are
    those of the new weights; `negative_weights` counts rows whose new weight is below 0 (possible
    with unbounded linear calibration).
    """

    method: str
    iterations: int
    gaps: pl.DataFrame
    n: int
    weight_sum: float
    weight_min: float
    weight_max: float
    g_min: float
    g_max: float
    kish_deff: float
    effective_n: float
    negative_weights: int
    bounds: tuple[float, float] | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def max_gap(self) -> dict[str, float]:
        """Largest relative gap of each margin (or numeric total), in target order."""
        if self.gaps.is_empty():
            return {}
        grouped = self.gaps.group_by("margin", maintain_order=True).agg(
            pl.col("relative_gap").max()
        )
        return dict(
            zip(grouped["margin"].to_list(), grouped["relative_gap"].to_list(), strict=True)
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON reports."""
        return {
            "method": self.method,
            "iterations": self.iterations,
            "n": self.n,
            "weight_sum": self.weight_sum,
            "weight_min": self.weight_min,
            "weight_max": self.weight_max,
            "g_min": self.g_min,
            "g_max": self.g_max,
            "kish_deff": self.kish_deff,
            "effective_n": self.effective_n,
            "negative_weights": self.negative_weights,
            "bounds": list(self.bounds) if self.bounds is not None else None,
            "max_gap": self.max_gap,
            "gaps": self.gaps.to_dicts(),
            "notes": list(self.notes),
        }


def build_diagnostics(
    method: str,
    *,
    iterations: int,
    old_weights: np.ndarray,
    new_weights: np.ndarray,
    gaps: Sequence[Gap] = (),
    bounds: tuple[float, float] | None = None,
    notes: Sequence[str] = (),
) -> CalibrationDiagnostics:
    """Diagnostics of a step that turned `old_weights` into `new_weights` (domain weights).

    Reductions use ``where=`` masks rather than filtered copies: at ten million rows every
    copy costs more than the calibration itself.
    """
    active = (old_weights != 0) | (new_weights != 0)
    weighted = old_weights != 0
    ratio = np.divide(new_weights, old_weights, out=np.ones_like(new_weights), where=weighted)
    total = float(new_weights.sum())
    squares = float(np.dot(new_weights, new_weights))
    n = int(np.count_nonzero(active))
    frame = pl.DataFrame(
        {
            "margin": [g.margin for g in gaps],
            "category": [g.category for g in gaps],
            "target": [g.target for g in gaps],
            "achieved": [g.achieved for g in gaps],
        },
        schema={k: v for k, v in GAP_SCHEMA.items() if k not in ("gap", "relative_gap")},
    ).with_columns(gap=pl.col("achieved") - pl.col("target"))
    frame = frame.with_columns(
        relative_gap=pl.when(pl.col("target") != 0)
        .then((pl.col("gap") / pl.col("target")).abs())
        .otherwise(pl.col("gap").abs())
    )
    return CalibrationDiagnostics(
        method=method,
        iterations=iterations,
        gaps=frame,
        n=n,
        weight_sum=total,
        weight_min=float(np.min(new_weights, where=active, initial=np.inf)) if n else math.nan,
        weight_max=float(np.max(new_weights, where=active, initial=-np.inf)) if n else math.nan,
        g_min=float(np.min(ratio, where=weighted, initial=np.inf)) if n else math.nan,
        g_max=float(np.max(ratio, where=weighted, initial=-np.inf)) if n else math.nan,
        kish_deff=n * squares / total**2 if total else math.nan,
        effective_n=total**2 / squares if squares else math.nan,
        negative_weights=int(np.count_nonzero(new_weights < 0)),
        bounds=bounds,
        notes=tuple(notes),
    )


def calibration_diagnostics(design: Design) -> CalibrationDiagnostics:
    """Diagnostics of the last weighting step of `design`.

    For a design never calibrated, the weights' own diagnostics (Kish design effect, effective
    sample size, range), with method ``"none"``, no gaps and g = 1.
    """
    for adjustment in reversed(design.calibrations):
        diagnostics = getattr(adjustment, "diagnostics", None)
        if isinstance(diagnostics, CalibrationDiagnostics):
            return diagnostics
    weights = design.domain_weights
    return build_diagnostics("none", iterations=0, old_weights=weights, new_weights=weights)
