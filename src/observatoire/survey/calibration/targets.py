"""Population targets of a calibration: read in any of the accepted shapes, coded on the sample.

A *margin* is one column (or several crossed columns, e.g. age × sex) with the population count
of each category. Users give margins as ``{"sex": {"F": 26.9e6, "H": 25.0e6}}``, as
``{("age", "sex"): {("18-24", "F"): ..., ...}}``, as a list of `Margin`, or with a Polars frame
of the categories and their targets (last column). Levels are matched as text, so a target key
``"1"`` or ``1`` both match an integer column holding 1.

Coding happens once per calibration (`code_margin`): every row gets the integer index of its
category, so that the iterative algorithms only ever run ``np.bincount`` on integer codes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import polars as pl

from observatoire.survey.errors import SurveyError

Key: TypeAlias = tuple[str, ...]
"""A category of a margin: one level (as text) per margin column."""

SHARE_SUM_TOLERANCE = 1e-6
"""How far from 1 the shares of a margin may sum (rounded published shares) before an error."""


@dataclass(frozen=True)
class Margin:
    """One margin: the columns it crosses and the population target of each category."""

    columns: tuple[str, ...]
    totals: Mapping[Key, float]

    @property
    def name(self) -> str:
        """The margin as users name it: ``stype``, or ``age×sex`` for a crossed margin."""
        return "×".join(self.columns)

    def label(self, key: Key) -> str:
        """A category as users read it: ``E``, or ``18-24×F``."""
        return "×".join(key)

    @classmethod
    def of(cls, columns: str | Sequence[str], totals: Mapping[Any, float] | pl.DataFrame) -> Margin:
        """A margin from user input, with its keys normalised to text tuples."""
        cols = (columns,) if isinstance(columns, str) else tuple(columns)
        if not cols:
            raise SurveyError("a calibration margin needs at least one column")
        if isinstance(totals, pl.DataFrame):
            return cls(cols, _totals_from_frame(cols, totals))
        if not isinstance(totals, Mapping):
            raise SurveyError(
                f"margin {'×'.join(cols)}: targets must be a mapping of category to total "
                f"or a data frame, not {type(totals).__name__}"
            )
        normalised: dict[Key, float] = {}
        for raw_key, value in totals.items():
            key = _normalise_key(cols, raw_key)
            if key in normalised:
                raise SurveyError(
                    f"margin {'×'.join(cols)}: category {'×'.join(key)} is given twice"
                )
            normalised[key] = _target_value(cols, key, value)
        if not normalised:
            raise SurveyError(f"margin {'×'.join(cols)} has no targets")
        return cls(cols, normalised)

    def scaled(self, factor: float) -> Margin:
        """The same margin with every target multiplied by `factor` (shares to counts)."""
        return Margin(self.columns, {key: value * factor for key, value in self.totals.items()})

    @property
    def total(self) -> float:
        """Sum of the targets: the population size this margin implies."""
        return math.fsum(self.totals.values())


MarginsLike: TypeAlias = (
    Mapping[Any, Mapping[Any, float] | pl.DataFrame]
    | Sequence[Margin | tuple[str | Sequence[str], Mapping[Any, float] | pl.DataFrame]]
    | Margin
)
"""Margins in any accepted shape (see `normalise_margins`)."""


def level_key(value: Any) -> str:
    """The text form under which a level is matched: integral floats lose ``.0``, booleans are
    ``true``/``false`` (so that data read from CSV, Parquet or SPSS matches targets from YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normalise_key(columns: Key, raw: Any) -> Key:
    parts = raw if isinstance(raw, tuple) else (raw,)
    if len(parts) != len(columns):
        raise SurveyError(
            f"margin {'×'.join(columns)}: category {raw!r} should have one level for each of "
            f"the {len(columns)} columns"
        )
    return tuple(level_key(part) for part in parts)


def _target_value(columns: Key, key: Key, value: Any) -> float:
    name = "×".join(columns)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SurveyError(
            f"margin {name}: the target of category {'×'.join(key)} is not a number: {value!r}"
        ) from None
    if not math.isfinite(number):
        raise SurveyError(f"margin {name}: the target of category {'×'.join(key)} is {number}")
    if number < 0:
        raise SurveyError(
            f"margin {name}: the target of category {'×'.join(key)} is negative ({number:g})"
        )
    return number


def _totals_from_frame(columns: Key, frame: pl.DataFrame) -> dict[Key, float]:
    name = "×".join(columns)
    if frame.width != len(columns) + 1 or frame.columns[: len(columns)] != list(columns):
        raise SurveyError(
            f"margin {name}: a data frame of targets needs the columns {', '.join(columns)} "
            f"followed by one column of targets; it has {', '.join(frame.columns)}"
        )
    target_column = frame.columns[-1]
    if not frame.schema[target_column].is_numeric():
        raise SurveyError(f"margin {name}: the target column {target_column!r} is not numeric")
    rows = zip(*(frame.get_column(c).to_list() for c in columns), strict=True)
    totals: dict[Key, float] = {}
    for raw, value in zip(rows, frame.get_column(target_column).to_list(), strict=True):
        key = tuple(level_key(part) for part in raw)
        if key in totals:
            raise SurveyError(f"margin {name}: category {'×'.join(key)} is given twice")
        totals[key] = _target_value(columns, key, value)
    return totals


def normalise_margins(margins: MarginsLike) -> list[Margin]:
    """Every accepted shape of margins as a list of `Margin` (see the module docstring)."""
    if isinstance(margins, Margin):
        return [margins]
    if isinstance(margins, Mapping):
        items: Iterable[Any] = margins.items()
    elif isinstance(margins, Sequence) and not isinstance(margins, str):
        items = margins
    else:
        raise SurveyError(
            "margins must be a mapping {column: {category: total}} or a list of margins, "
            f"not {type(margins).__name__}"
        )
    result = []
    for item in items:
        if isinstance(item, Margin):
            result.append(item)
        elif isinstance(item, tuple) and len(item) == 2:
            result.append(Margin.of(item[0], item[1]))
        else:
            raise SurveyError(f"a margin must be (columns, targets) or a Margin, not {item!r}")
    names = [margin.name for margin in result]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise SurveyError(f"margin {duplicated[0]} is given twice")
    return result


def as_counts(
    margins: list[Margin], *, as_shares: bool, population_total: float | None, current_total: float
) -> list[Margin]:
    """Margins as population counts.

    Shares must sum to 1 (within `SHARE_SUM_TOLERANCE`, then exactly, after rescaling) and are
    multiplied by `population_total`, or by the design's current weighted total when it is None
    (the total is then left free). Counts must sum to `population_total` when it is given.
    """
    if population_total is not None and not (
        math.isfinite(population_total) and population_total > 0
    ):
        raise SurveyError(f"the population total must be positive, not {population_total!r}")
    if not as_shares:
        if population_total is not None:
            for margin in margins:
                if not math.isclose(margin.total, population_total, rel_tol=1e-9):
                    raise SurveyError(
                        f"margin {margin.name}: its targets sum to {margin.total:.10g}, not to the "
                        f"population total {population_total:.10g}"
                    )
        return margins
    scaled = []
    total = current_total if population_total is None else population_total
    for margin in margins:
        if abs(margin.total - 1.0) > SHARE_SUM_TOLERANCE:
            raise SurveyError(
                f"margin {margin.name}: shares must sum to 1, they sum to {margin.total:.10g}"
                + (" (give fractions, not percentages)" if abs(margin.total - 100) < 1 else "")
            )
        scaled.append(margin.scaled(total / margin.total))
    return scaled


def check_margins_agree(
    margins: list[Margin], *, rel_tol: float, against: float | None = None
) -> None:
    """Every margin describes the same population: their totals (and `against`) must agree."""
    reference = against if against is not None else margins[0].total
    reference_name = (
        "the population total is" if against is not None else f"margin {margins[0].name} sums to"
    )
    for margin in margins:
        if not math.isclose(margin.total, reference, rel_tol=rel_tol):
            raise SurveyError(
                f"margins disagree: margin {margin.name} sums to {margin.total:.12g} but "
                f"{reference_name} {reference:.12g}; targets of every margin must describe the "
                "same population (or give shares with a population total)"
            )


@dataclass(frozen=True)
class CodedMargin:
    """A margin coded on the sample.

    `codes[i]` is the index in `categories` of row i's category, or ``len(categories)`` for a row
    of zero weight whose category has no target (it takes no part in the calibration).
    """

    margin: Margin
    categories: tuple[Key, ...]
    targets: np.ndarray
    codes: np.ndarray

    @property
    def size(self) -> int:
        """Number of categories calibrated (the extra code for zero-weight rows excluded)."""
        return len(self.categories)

    def labels(self) -> list[str]:
        """The categories as users read them, in `categories` order."""
        return [self.margin.label(key) for key in self.categories]


def column_codes(data: pl.DataFrame, column: str, *, purpose: str) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a column's values and the level of each code (as matched by `level_key`).

    Missing values are an error naming the column and the first row (0-based) concerned.
    """
    if column not in data.columns:
        raise SurveyError(
            f"{purpose}: no column {column!r} in the data; columns are {', '.join(data.columns)}",
            column=column,
        )
    series = data.get_column(column)
    if isinstance(series.dtype, pl.Categorical | pl.Enum):
        series = series.cast(pl.String)
    missing = series.null_count()
    if missing:
        first = int(series.is_null().arg_true()[0])
        raise SurveyError(
            f"{purpose}: column {column!r} has {missing} missing value(s), the first at row "
            f"{first}; every row needs a category",
            column=column,
            row=first,
        )
    if series.dtype == pl.Boolean:
        series = series.cast(pl.Int8)
    if series.dtype.is_integer():
        values = series.to_numpy().astype(np.int64, copy=False)
        low = int(values.min())
        span = int(values.max()) - low + 1
        if span <= max(4 * len(values), 1 << 16):
            shifted = values - low if low else values
            present = np.bincount(shifted, minlength=span) > 0
            levels = [level_key(int(v) + low) for v in np.flatnonzero(present)]
            if data.schema[column] == pl.Boolean:
                levels = [level_key(bool(int(level))) for level in levels]
            if present.all():
                return shifted, levels
            return (np.cumsum(present) - 1)[shifted], levels
    uniques = series.unique().sort()
    if series.dtype == pl.String:
        codes = series.cast(pl.Enum(uniques.to_list())).to_physical().to_numpy()
    else:
        codes = series.replace_strict(
            uniques, pl.Series(np.arange(len(uniques), dtype=np.int64)), return_dtype=pl.Int64
        ).to_numpy()
    return codes.astype(np.int64, copy=False), [level_key(value) for value in uniques.to_list()]


def _sort_keys(keys: Iterable[Key]) -> list[Key]:
    """Categories in a stable reading order: numerically when every level is a number."""
    keys = list(keys)
    if not keys:
        return keys
    numeric = [all(_is_number(key[i]) for key in keys) for i in range(len(keys[0]))]
    return sorted(
        keys,
        key=lambda key: tuple(
            (float(part), part) if is_num else (0.0, part)
            for part, is_num in zip(key, numeric, strict=True)
        ),
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def combine_codes(
    parts: Sequence[np.ndarray], sizes: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Codes of crossed columns as one dense code per present combination.

    Returns ``(codes, combos)``: `codes[i]` indexes the row's combination in `combos`, an
    (m, len(parts)) array of the per-column codes of each present combination (a single column
    is returned as is, with one combination per code, present or not). Columns are crossed one
    at a time, made dense only when the product of level counts would pass 4n, so no product
    can overflow however many columns are crossed.
    """
    if len(parts) == 1:
        return parts[0], np.arange(sizes[0], dtype=np.int64)[:, None]
    n = len(parts[0])
    limit = max(4 * n, 1 << 16)
    codes = parts[0].astype(np.int64)
    known = np.arange(sizes[0], dtype=np.int64)[:, None]
    pending: list[int] = []
    span = sizes[0]
    for part, size in zip(parts[1:], sizes[1:], strict=True):
        if span * size > limit:
            codes, known = _dense(codes, known, pending, span, limit)
            pending, span = [], len(known)
        codes *= size
        codes += part
        pending.append(size)
        span *= size
    return _dense(codes, known, pending, span, limit)


def _dense(
    codes: np.ndarray, known: np.ndarray, pending: list[int], span: int, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mixed-radix `codes` (combinations `known` so far, then one digit per `pending` size)
    renumbered over the combinations present, with those combinations."""
    if span <= limit:
        present = np.bincount(codes, minlength=span) > 0
        values = np.flatnonzero(present)
        dense = (np.cumsum(present) - 1)[codes]
    else:
        values, dense = np.unique(codes, return_inverse=True)
    digits = []
    for size in reversed(pending):
        digits.append(values % size)
        values = values // size
    return dense.reshape(-1), np.column_stack([known[values], *reversed(digits)])


def code_margin(
    data: pl.DataFrame, weights: np.ndarray, margin: Margin, *, partial: bool | None = None
) -> CodedMargin:
    """Code `margin` on the sample and check that its targets can be met.

    Errors name the margin and the category: a category of the sample (with positive weight)
    that has no target; a positive target whose category has no sampled row (unless `partial`,
    which drops it, as R's ``postStratify(partial=TRUE)``; None when the caller has no such
    option); a zero target for sampled rows.
    Categories with a zero target and no sampled row are dropped silently, as in R.
    """
    purpose = f"margin {margin.name}"
    coded = [column_codes(data, column, purpose=purpose) for column in margin.columns]
    combo_codes, combos = combine_codes([c for c, _ in coded], [len(levels) for _, levels in coded])
    combo_keys = [
        tuple(coded[j][1][combo[j]] for j in range(len(coded))) for combo in combos.tolist()
    ]
    combo_weight = np.bincount(combo_codes, weights=weights, minlength=len(combo_keys))
    sampled = {key: weight for key, weight in zip(combo_keys, combo_weight, strict=True)}

    unknown = [key for key, weight in sampled.items() if weight > 0 and key not in margin.totals]
    if unknown:
        shown = ", ".join(margin.label(key) for key in _sort_keys(unknown)[:5])
        given = ", ".join(margin.label(key) for key in _sort_keys(margin.totals)[:10])
        raise SurveyError(
            f"{purpose}: category {shown} is in the sample but has no target; give a target for "
            f"every category (targets are given for {given})"
        )
    kept: list[Key] = []
    for key in _sort_keys(margin.totals):
        target = margin.totals[key]
        weight = sampled.get(key, 0.0)
        if weight > 0 and target == 0:
            raise SurveyError(
                f"{purpose}: category {margin.label(key)} has a target of 0 but sampled rows; "
                "weights cannot be calibrated to zero (drop those rows or merge the category)"
            )
        if weight <= 0 and target > 0:
            if partial:
                continue
            raise SurveyError(
                f"{purpose}: category {margin.label(key)} has a target of {target:g} but no "
                "sampled row with a positive weight; merge it with a neighbouring category"
                + (" or use partial=True to ignore it" if partial is False else "")
            )
        if weight > 0:
            kept.append(key)
    if not kept:
        raise SurveyError(f"{purpose}: no category of the targets has sampled rows")
    index = {key: i for i, key in enumerate(kept)}
    combo_to_category = np.array([index.get(key, len(kept)) for key in combo_keys], dtype=np.int64)
    return CodedMargin(
        margin=margin,
        categories=tuple(kept),
        targets=np.array([margin.totals[key] for key in kept], dtype=np.float64),
        codes=(
            combo_codes
            if np.array_equal(combo_to_category, np.arange(len(combo_keys)))
            else combo_to_category[combo_codes]
        ),
    )
