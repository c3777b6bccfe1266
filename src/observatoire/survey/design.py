"""The survey design: who was sampled, how, and with which weights.

A `Design` is immutable. It keeps every sampled row forever (a domain is a boolean mask, never a
filtered frame) because design-based variances need every primary sampling unit, including those
with no row in the domain: dropping them is the classic way to understate standard errors.

Conventions follow R's `survey` 4.1.1 (`svydesign`, `as.fpc`): cluster codes of stage *s* are
nested in those of stage *s - 1*; `nest=True` relabels PSUs within strata; an fpc column holds
population sizes (values > 1) or sampling fractions (values <= 1), converted to population sizes;
without weights or probabilities the fpc gives the weights (product over stages of N / n).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

import numpy as np
import polars as pl

from observatoire.survey.errors import SurveyError
from observatoire.survey.pps import PPS, Delta, build_delta

if TYPE_CHECKING:
    from observatoire.survey.replicates import ReplicateWeights

LonelyPSU = Literal["fail", "remove", "adjust", "average", "certainty"]
LONELY_PSU_POLICIES: tuple[LonelyPSU, ...] = get_args(LonelyPSU)


class CalibrationAdjustment(Protocol):
    """What a calibration step leaves behind so that variances account for it."""

    def adjust(self, scores: np.ndarray) -> np.ndarray:
        """Residualise weighted influence values `scores` (n, k) on the calibration model."""
        ...


def as_polars(frame: Any) -> pl.DataFrame:
    """A Polars frame from a Polars, pandas or Arrow table."""
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    module = type(frame).__module__
    if module.startswith("pandas"):
        return pl.from_pandas(frame)
    if module.startswith("pyarrow"):
        result = pl.from_arrow(frame)
        if isinstance(result, pl.DataFrame):
            return result
    raise SurveyError(f"expected a Polars, pandas or Arrow table, got {type(frame).__name__}")


def dense_codes(values: np.ndarray) -> np.ndarray:
    """0-based codes of `values` in sorted order (int64)."""
    _, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


def combine_codes(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Dense codes of the pairs (first, second): R's `interaction()` of two factors."""
    return dense_codes(first.astype(np.int64) * (int(second.max(initial=0)) + 1) + second)


def _column(data: pl.DataFrame, name: str, role: str) -> pl.Series:
    if name not in data.columns:
        raise SurveyError(f"{role} column not found in the data", column=name)
    series = data.get_column(name)
    if series.null_count():
        raise SurveyError(
            f"{series.null_count()} missing value(s) in the {role} column", column=name
        )
    return series


def _codes(data: pl.DataFrame, name: str, role: str) -> tuple[np.ndarray, list[str]]:
    """Codes (sorted order) and labels of a design column; nulls are an error."""
    series = _column(data, name, role)
    codes = series.rank("dense").to_numpy().astype(np.int64) - 1
    labels = series.unique(maintain_order=False).sort().cast(pl.String).to_list()
    return codes, [str(label) for label in labels]


def _numeric(data: pl.DataFrame, name: str, role: str) -> np.ndarray:
    series = _column(data, name, role)
    if not series.dtype.is_numeric():
        raise SurveyError(f"the {role} column must be numeric, not {series.dtype}", column=name)
    values = series.cast(pl.Float64).to_numpy()
    if not np.all(np.isfinite(values)):
        raise SurveyError(f"non-finite value in the {role} column", column=name)
    return values


def _positive(values: np.ndarray, name: str, role: str) -> np.ndarray:
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        raise SurveyError(
            f"{bad.size} {role} value(s) are zero or negative (first at row {bad[0] + 1}: "
            f"{values[bad[0]]:g}); keep such rows out with Design.subset instead",
            column=name,
        )
    return values


def units_per_stratum(strata: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """For every row, the number of distinct clusters in its stratum (R's `sampsize`)."""
    size = int(strata.max(initial=-1)) + 1
    if int(clusters.max(initial=-1)) + 1 == clusters.shape[0]:  # every row its own unit
        return np.bincount(strata, minlength=size)[strata].astype(np.int64)
    first = first_rows(combine_codes(strata, clusters))
    counts = np.bincount(strata[first], minlength=size)
    return counts[strata].astype(np.int64)


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Index of the first row of every code 0..max (dense codes), in O(n)."""
    first = np.full(int(codes.max(initial=-1)) + 1, codes.shape[0], dtype=np.int64)
    np.minimum.at(first, codes, np.arange(codes.shape[0], dtype=np.int64))
    return first


@dataclass(frozen=True, eq=False)
class Design:
    """A sample design: data, weights, domain mask, strata, clusters per stage and fpc.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"s": ["a", "a", "b", "b"], "w": [2.0, 2.0, 3.0, 3.0]})
    >>> design = Design.from_frame(frame, strata="s", weights="w")
    >>> design.domain_weights.sum()
    np.float64(10.0)
    """

    data: pl.DataFrame
    weights: np.ndarray
    in_domain: np.ndarray
    strata: np.ndarray
    clusters: tuple[np.ndarray, ...]
    fpc: tuple[np.ndarray | None, ...]
    calibrations: tuple[CalibrationAdjustment, ...] = ()
    replicates: ReplicateWeights | None = None
    lonely_psu: LonelyPSU = "fail"
    strata_labels: tuple[str, ...] = field(default=())
    has_strata: bool = False  # strata were declared (R's has.strata), even of one level
    pps: str | None = None  # "brewer", "overton", "HR" or "ppsmat"
    delta: Delta | None = None  # Ď of a PPS design other than Brewer's (`pps`)
    ultimate_cluster: bool = False  # R's survey.ultimate.cluster: first-stage variance only
    adjust_domain_lonely: bool = False  # R's survey.adjust.domain.lonely
    # Derived sampling structure (units per stratum, first rows...), shared by the designs that
    # `subset`, `with_weights` and calibration derive from this one: they keep its strata,
    # clusters and fpc, which must never be replaced on their own.
    structure: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        ids: Sequence[str] | str | None = None,
        strata: str | None = None,
        weights: str | None = None,
        probs: str | None = None,
        fpc: Sequence[str] | str | None = None,
        nest: bool = False,
        lonely_psu: LonelyPSU = "fail",
        pps: PPS | None = None,
        variance: Literal["HT", "YG"] = "HT",
        ultimate_cluster: bool = False,
        adjust_domain_lonely: bool = False,
    ) -> Design:
        """Declare a design as R's `svydesign(ids, strata, weights|probs, fpc, nest, pps,
        variance)` does, with R's options `survey.lonely.psu`, `survey.ultimate.cluster` and
        `survey.adjust.domain.lonely` as arguments of the design.

        `ids` lists one cluster column per stage (`None` or `[]`: every row is its own PSU);
        `fpc` one column per stage, population sizes or sampling fractions. `pps` declares
        sampling without replacement with unequal probabilities (`observatoire.survey.pps`):
        `"brewer"`, `"overton"`, `HR(psum)` or `ppsmat(joint)`; the fpc then holds the PSUs'
        inclusion probabilities. `variance="YG"` asks for the Yates–Grundy form.

        >>> import polars as pl
        >>> frame = pl.DataFrame({"psu": [1, 1, 2, 3], "N": [30] * 4})
        >>> Design.from_frame(frame, ids="psu", fpc="N").weights.tolist()
        [10.0, 10.0, 10.0, 10.0]
        """
        data = as_polars(frame)
        n = data.height
        if n == 0:
            raise SurveyError("the data have no rows")
        for name, switch in (
            ("nest", nest),
            ("ultimate_cluster", ultimate_cluster),
            ("adjust_domain_lonely", adjust_domain_lonely),
        ):
            if not isinstance(switch, bool | np.bool_):
                raise SurveyError(f"{name} must be True or False, not {switch!r}", field=name)
        if lonely_psu not in LONELY_PSU_POLICIES:
            choices = ", ".join(LONELY_PSU_POLICIES)
            raise SurveyError(f"unknown lonely_psu policy {lonely_psu!r}; use one of {choices}")
        if variance != "HT" and (pps is None or pps == "brewer"):
            raise SurveyError(
                "variance='YG' needs a PPS design with joint probabilities (overton, HR, ppsmat)",
                field="variance",
            )
        id_columns = [ids] if isinstance(ids, str) else list(ids or [])
        fpc_columns = [fpc] if isinstance(fpc, str) else list(fpc or [])
        if strata is not None:
            strata_codes, labels = _codes(data, strata, "strata")
        else:
            strata_codes, labels = np.zeros(n, dtype=np.int64), ["1"]

        raw_ids = [_codes(data, name, "cluster")[0] for name in id_columns] or [
            np.arange(n, dtype=np.int64)
        ]
        if raw_ids[0].max() == 0 and not (nest and strata is not None):
            raise SurveyError("the design has only one primary sampling unit")
        if strata is not None and not nest and id_columns:
            _check_nesting(raw_ids[0], strata_codes, labels, id_columns)
        stages: list[np.ndarray] = []
        for stage, codes in enumerate(raw_ids):
            if stage == 0:
                nested = (
                    combine_codes(strata_codes, codes) if nest and strata is not None else codes
                )
            else:
                nested = combine_codes(stages[-1], codes)
            stages.append(nested)
        clusters = tuple(stages)

        if fpc_columns and len(fpc_columns) != len(clusters):
            raise SurveyError(
                f"{len(fpc_columns)} fpc column(s) for {len(clusters)} sampling stage(s): give "
                "one per stage, or none",
                field="fpc",
            )
        if pps is not None and pps != "brewer" and len(clusters) > 1:
            raise SurveyError(
                "several sampling stages with PPS are supported with pps='brewer' only",
                field="pps",
            )
        sampsize = [
            units_per_stratum(stage_strata, clusters[stage])
            for stage, stage_strata in enumerate(_stage_strata(strata_codes, clusters))
        ]
        population = _population_sizes(
            data, fpc_columns, sampsize, strata_codes, clusters, labels, pps=pps is not None
        )
        fpcs = tuple(population) + (None,) * (len(clusters) - len(population))

        if weights is not None and probs is not None:
            raise SurveyError("give sampling weights or probabilities, not both")
        # R stores probabilities and weights(design) is 1 / prob: computing the same way keeps
        # weights bit-identical to R's (1 / (1 / w) can differ from w in the last bit).
        if weights is not None:
            prob = 1.0 / _positive(_numeric(data, weights, "weights"), weights, "weight")
        elif probs is not None:
            prob = _positive(_numeric(data, probs, "probabilities"), probs, "probability")
        elif population:
            prob = np.prod([1.0 / (size / sampsize[s]) for s, size in enumerate(population)], 0)
        else:
            prob = np.ones(n)
        final = 1.0 / prob
        delta = None
        if pps is not None and pps != "brewer":
            delta = _pps_delta(pps, variance, prob, strata_codes, clusters[0], tuple(labels))
        method = pps if isinstance(pps, str) else None if delta is None else delta.method
        return cls(
            data=data,
            weights=np.ascontiguousarray(final, dtype=np.float64),
            in_domain=np.ones(n, dtype=bool),
            strata=strata_codes,
            clusters=clusters,
            fpc=fpcs,
            lonely_psu=lonely_psu,
            strata_labels=tuple(labels),
            has_strata=strata is not None,
            pps=method,
            delta=delta,
            ultimate_cluster=bool(ultimate_cluster),
            adjust_domain_lonely=bool(adjust_domain_lonely),
            structure={"units": tuple(sampsize), "rows_are_units": not id_columns},
        )

    @property
    def n(self) -> int:
        """Number of sampled rows (domain or not)."""
        return int(self.weights.shape[0])

    @property
    def keeps_rows(self) -> bool:
        """Whether R keeps every row in a domain of this design (calibrated or PPS designs:
        rows outside get no weight) rather than dropping them, which decides the rows R counts
        (`nrow`, lonely PSUs of a domain, a glm's model frame)."""
        return bool(self.calibrations) or self.pps is not None

    @property
    def domain_weights(self) -> np.ndarray:
        """Weights with zeros outside the domain."""
        return np.where(self.in_domain, self.weights, 0.0)

    @property
    def stage_strata(self) -> tuple[np.ndarray, ...]:
        """Strata codes of every stage: stage 1 strata, then the parent unit (R's convention)."""
        return _stage_strata(self.strata, self.clusters)

    @property
    def units(self) -> tuple[np.ndarray, ...]:
        """Per stage and row, the number of sampled units in the row's stratum (full design)."""
        if "units" not in self.structure:
            self.structure["units"] = tuple(
                units_per_stratum(stage_strata, self.clusters[stage])
                for stage, stage_strata in enumerate(self.stage_strata)
            )
        return tuple(self.structure["units"])

    def stratum_label(self, code: int) -> str:
        """The stratum's value as written in the data."""
        return self.strata_labels[code] if code < len(self.strata_labels) else str(code + 1)

    def subset(self, mask: pl.Expr | np.ndarray | pl.Series) -> Design:
        """A domain: all rows and weights kept, `in_domain` narrowed (R's `subset`).

        >>> import polars as pl
        >>> frame = pl.DataFrame({"g": ["a", "b", "b"], "w": [1.0, 2.0, 3.0]})
        >>> Design.from_frame(frame, weights="w").subset(pl.col("g") == "b").in_domain.tolist()
        [False, True, True]
        """
        if isinstance(mask, pl.Expr):
            values = self.data.select(mask.fill_null(False)).to_series().to_numpy()
        elif isinstance(mask, pl.Series):
            values = mask.fill_null(False).to_numpy()
        else:
            values = np.asarray(mask)
        if values.dtype != np.bool_ or values.shape != (self.n,):
            raise SurveyError(f"a domain mask must be {self.n} booleans, one per sampled row")
        return replace(self, in_domain=self.in_domain & values)

    def with_weights(
        self,
        weights: np.ndarray,
        adjustment: CalibrationAdjustment | None,
        replicate_weights: np.ndarray | None = None,
    ) -> Design:
        """A new design with new weights (a calibration result) and its variance adjustment.

        >>> import numpy as np, polars as pl
        >>> design = Design.from_frame(pl.DataFrame({"y": [1.0, 2.0]}))
        >>> design.with_weights(np.array([3.0, 5.0]), None).domain_weights.tolist()
        [3.0, 5.0]
        """
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != (self.n,) or not np.all(np.isfinite(weights)):
            raise SurveyError(f"new weights must be {self.n} finite numbers")
        replicates = self.replicates
        if replicate_weights is not None:
            if replicates is None:
                raise SurveyError("replicate weights given for a design without replicates")
            replicates = replace(replicates, weights=np.asarray(replicate_weights, dtype=float))
        calibrations = self.calibrations + ((adjustment,) if adjustment is not None else ())
        return replace(self, weights=weights, calibrations=calibrations, replicates=replicates)


def _pps_delta(
    pps: PPS,
    variance: str,
    prob: np.ndarray,
    strata: np.ndarray,
    psu: np.ndarray,
    labels: tuple[str, ...],
) -> Delta:
    """Ď of a one-stage PPS design over its PSUs in order of first appearance (R's order)."""
    first = first_rows(psu)
    order = np.argsort(first, kind="stable")  # PSU codes by first appearance
    position = np.empty_like(order)
    position[order] = np.arange(order.shape[0])
    unit = position[psu]
    unit_prob = prob[first[order]]
    varying = np.flatnonzero(prob != unit_prob[unit])
    if varying.size:
        raise SurveyError(
            f"the inclusion probability varies within a PSU (row {varying[0] + 1}); a PPS "
            "design needs one probability per PSU",
        )
    if np.any(unit_prob > 1):
        raise SurveyError("an inclusion probability is greater than 1 (weight below 1)")
    return build_delta(pps, variance, unit_prob, strata[first[order]], labels, unit)


def _stage_strata(strata: np.ndarray, clusters: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    return (strata, *clusters[:-1])


def _check_nesting(
    psu: np.ndarray, strata: np.ndarray, labels: list[str], id_columns: list[str]
) -> None:
    """PSU codes reused in several strata need `nest=True` (R's check.strata)."""
    first = first_rows(combine_codes(psu, strata))
    counts = np.bincount(psu[first])
    reused = np.flatnonzero(counts > 1)
    if reused.size:
        where = np.sort(strata[first][psu[first] == reused[0]])
        raise SurveyError(
            f"PSU codes are reused across strata (e.g. in strata {labels[where[0]]} and "
            f"{labels[where[1]]}); pass nest=True if PSUs are numbered within strata",
            column=id_columns[0] if id_columns else None,
        )


def _population_sizes(
    data: pl.DataFrame,
    columns: list[str],
    sampsize: list[np.ndarray],
    strata: np.ndarray,
    clusters: tuple[np.ndarray, ...],
    labels: list[str],
    *,
    pps: bool = False,
) -> list[np.ndarray]:
    """Population sizes per stage from fpc columns (all counts > 1 or all fractions <= 1).

    With PPS sampling the fpc holds inclusion probabilities, which vary between the units of a
    stratum but not within a unit.
    """
    raw = [_numeric(data, name, "fpc") for name in columns]
    if not raw:
        return []
    stacked = np.stack(raw)
    as_counts = bool(np.any(stacked > 1))
    if as_counts != bool(np.all(stacked >= 1)):
        raise SurveyError(
            "fpc must be all population sizes (>= 1) or all sampling fractions (<= 1)"
        )
    if pps and as_counts:
        raise SurveyError(
            "with PPS sampling the fpc holds inclusion probabilities (fractions <= 1), not "
            "population sizes",
            column=columns[0],
        )
    if not as_counts and np.any(stacked <= 0):
        raise SurveyError("a sampling fraction in the fpc is zero or negative")
    stage_strata = _stage_strata(strata, clusters)
    sizes = []
    for stage, values in enumerate(raw):
        size = values if as_counts else sampsize[stage] / values
        groups = clusters[stage] if pps else stage_strata[stage]
        spread = np.zeros(int(groups.max()) + 1)
        np.maximum.at(spread, groups, size)
        low = np.full_like(spread, np.inf)
        np.minimum.at(low, groups, size)
        varying = np.flatnonzero(spread - low > 1e-8 * spread)
        if varying.size:
            where = (
                "a PSU" if pps else f"stratum {labels[varying[0]]}" if stage == 0 else "a stratum"
            )
            raise SurveyError(
                f"the fpc varies within {where} at stage {stage + 1}", column=columns[stage]
            )
        short = np.flatnonzero(size < sampsize[stage] - 1e-8)
        if short.size:
            row = short[0]
            where = f"stratum {labels[strata[row]]}" if stage == 0 else f"row {row + 1}"
            raise SurveyError(
                f"the fpc implies a population ({size[row]:g}) smaller than the sample "
                f"({sampsize[stage][row]}) in {where} at stage {stage + 1}",
                column=columns[stage],
            )
        sizes.append(np.asarray(size, dtype=np.float64))
    return sizes
