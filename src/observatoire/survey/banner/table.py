"""Banner tables: question rows × profile columns, with bases, intervals and markers.

The conventions are in the package docstring (`observatoire.survey.banner`) and in
`Banner.footnote()`; the variances come from `observatoire.survey.banner.variance`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl
from scipy import sparse, stats
from threadpoolctl import threadpool_limits

from observatoire.survey.banner.answers import AtomSums, atom_sums
from observatoire.survey.banner.variance import (
    Cells,
    atom_parts,
    cell_variances,
    variance_route,
)
from observatoire.survey.comparisons import Correction, adjust_p_values
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.linearization import degrees_of_freedom
from observatoire.survey.memory import small_pages

Kind = Literal["categorical", "scale", "numeric"]
Language = Literal["en", "fr"]
TOTAL = "Total"


@dataclass(frozen=True)
class Band:
    """A net of a numeric scale: marks from `low` to `high` inclusive, e.g. Band("8–10", 8, 10)."""

    label: str
    low: float
    high: float


@dataclass(frozen=True)
class Question:
    """One question of the banner's rows.

    * `categorical`: one row per level (share of respondents), levels in `levels` order when
      given (code → label), else sorted values;
    * `scale`: one row per band of `bands` (share), then the mean when `mean` is true (the
      bands are the study's reading of the scale, e.g. 1–5 / 6–7 / 8–10: no default);
    * `numeric`: the mean only.
    Respondents with no answer (null) are left out of the question's bases.
    """

    column: str
    label: str | None = None
    kind: Kind = "categorical"
    bands: tuple[Band, ...] = ()
    mean: bool = True
    levels: Mapping[Any, str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("categorical", "scale", "numeric"):
            raise SurveyError(
                f"question {self.column!r}: unknown kind {self.kind!r}; "
                "use categorical, scale or numeric"
            )
        if self.kind == "scale" and not self.bands:
            raise SurveyError(
                f"question {self.column!r}: a scale question needs its bands, "
                'e.g. bands=(Band("1–5", 1, 5), Band("6–10", 6, 10))'
            )
        for band in self.bands:
            if not band.low <= band.high:
                raise SurveyError(f"question {self.column!r}: band {band.label!r} has low > high")


@dataclass(frozen=True)
class BannerVariable:
    """A profile variable of the banner's columns; `levels` (code → label) orders and names them."""

    column: str
    label: str | None = None
    levels: Mapping[Any, str] | None = None


@dataclass(frozen=True)
class BannerSettings:
    """Settings of a banner; all of them are stated in the footnote."""

    confidence: float = 0.95
    significance: tuple[float, float] = (0.95, 0.90)
    correction: Correction = "none"
    small_base: int = 30
    minimum_base: int = 10
    letters: bool = True

    def __post_init__(self) -> None:
        first, second = self.significance
        if not 0 < second <= first < 1 or not 0 < self.confidence < 1:
            raise SurveyError(
                "significance levels must satisfy 0 < second ≤ first < 1 "
                f"(got {self.significance}) and confidence 0 < level < 1"
            )
        if self.correction not in ("none", "bonferroni", "bh"):
            raise SurveyError(f"unknown correction {self.correction!r}; use none, bonferroni, bh")
        if self.minimum_base < 0 or self.small_base < 0:
            raise SurveyError("bases thresholds must not be negative")


@dataclass(frozen=True)
class Banner:
    """A computed banner: the tidy table (one row per question row × column) and its settings."""

    table: pl.DataFrame
    columns: pl.DataFrame
    settings: BannerSettings
    df: int
    questions: tuple[Question, ...] = field(default=())

    def footnote(self, language: Language = "en") -> str:
        """The conventions and settings, in one paragraph an analyst can paste under a table."""
        return footnote(self.settings, self.df, language)


def _percent(value: float, language: Language) -> str:
    text = f"{value * 100:g}"
    return f"{text.replace('.', ',')} %" if language == "fr" else f"{text}%"


def footnote(settings: BannerSettings, df: int, language: Language = "en") -> str:
    """State bases, intervals, markers, correction and thresholds (English or French)."""
    if language not in ("en", "fr"):
        raise SurveyError(f"language must be en or fr, not {language!r}", field="language")
    first, second = (_percent(level, language) for level in settings.significance)
    confidence = _percent(settings.confidence, language)
    correction = {
        "fr": {
            "none": "sans correction",
            "bonferroni": "correction de Bonferroni",
            "bh": "correction de Benjamini–Hochberg",
        },
        "en": {
            "none": "no correction",
            "bonferroni": "Bonferroni correction",
            "bh": "Benjamini–Hochberg correction",
        },
    }[language][settings.correction]
    if language == "fr":
        return (
            "Pourcentages et moyennes pondérés, calculés sur les répondants ayant répondu. "
            "Bases : non pondérée (n), pondérée et effective (Kish). "
            f"Intervalles de confiance à {confidence} (t de Student, {df} degrés de liberté, "
            "variance par linéarisation tenant compte du plan et du redressement). "
            f"▲/▼ : significativement supérieur/inférieur au reste de l'échantillon à {first}, "
            f"△/▽ à {second}. Lettres : supérieur à la colonne indiquée de la même variable, "
            f"majuscule à {first}, minuscule à {second}. Tests ligne par ligne au sein de chaque "
            f"variable de colonnes, {correction}. Base inférieure à {settings.small_base} : "
            f"signalée, sans test ; inférieure à {settings.minimum_base} : résultat masqué."
        )
    return (
        "Weighted percentages and means among respondents who answered. "
        "Bases: unweighted (n), weighted and effective (Kish). "
        f"{confidence} confidence intervals (Student's t, {df} degrees of freedom, linearised "
        "variance accounting for the design and the weighting). "
        f"▲/▼: significantly higher/lower than the rest of the sample at {first}, △/▽ at "
        f"{second}. Letters: higher than the column with that letter in the same variable, "
        f"uppercase at {first}, lowercase at {second}. Tests row by row within each banner "
        f"variable, {correction}. Base under {settings.small_base}: flagged, not tested; "
        f"under {settings.minimum_base}: result suppressed."
    )


# --- rows and columns as matrices ---------------------------------------------------------------


@dataclass
class _Rows:
    """Question rows: answers as codes, the rows' values per code, and their description.

    `codes` (n × Q) holds each respondent's answer to each question as the index of its value
    among the question's distinct values (the last code: no answer) and `tables[q]` the value of
    each of the question's rows for each code (last line zero): sums over respondents are taken
    per code, never over one value column per row.
    """

    answered: np.ndarray  # (n × Q) bool: valid answer to each question
    question_of_row: np.ndarray  # (R,) index into questions
    meta: list[dict[str, Any]]
    codes: np.ndarray
    tables: list[np.ndarray]


def _levels(series: pl.Series, given: Mapping[Any, str] | None, what: str) -> list[tuple[Any, str]]:
    present = series.drop_nulls().unique().sort().to_list()
    if given is None:
        return [(value, str(value)) for value in present]
    unknown = sorted(set(present) - set(given), key=str)
    if unknown:
        raise SurveyError(f"{what}: value {unknown[0]!r} has no label in the given levels")
    return list(given.items())


def _question_specs(
    data: pl.DataFrame, questions: Sequence[Question]
) -> list[tuple[int, str, str, str, Any]]:
    """Every question row as (question index, row, row label, statistic, what selects it)."""
    specs: list[tuple[int, str, str, str, Any]] = []
    for index, question in enumerate(questions):
        if question.column not in data.columns:
            raise SurveyError(f"question column {question.column!r} is not in the data")
        series = data.get_column(question.column)
        if question.kind == "categorical":
            for level, level_label in _levels(series, question.levels, question.column):
                specs.append((index, str(level), level_label, "share", level))
            continue
        if not series.dtype.is_numeric():
            raise SurveyError(
                f"question {question.column!r} is {question.kind} but holds {series.dtype}"
            )
        if question.kind == "scale":
            specs.extend((index, b.label, b.label, "share", b) for b in question.bands)
        if question.kind == "numeric" or question.mean:
            specs.append((index, "mean", "Moyenne", "mean", None))
    return specs


def _row_value(question: Question, distinct: pl.Series, statistic: str, selector: Any) -> Any:
    """The value of one question row for each distinct answer."""
    if question.kind == "categorical":
        return (distinct == selector).fill_null(False).to_numpy()
    numbers = distinct.cast(pl.Float64).to_numpy()
    if statistic == "mean":
        return numbers
    return (numbers >= selector.low) & (numbers <= selector.high)


def _positions(distinct: pl.Series, series: pl.Series) -> np.ndarray:
    """Each value's index among the sorted distinct values (anything for nulls).

    Integers of a narrow range (marks, codes) through a lookup table indexed by value; other
    numbers by NumPy's searchsorted (several times faster than Polars' here); other types by
    Polars', whose order NumPy may not share.
    """
    if series.dtype.is_integer() and distinct.len():
        low, high = int(distinct[0]), int(distinct[-1])
        if high - low < 1 << 16:
            lookup = np.zeros(high - low + 1, dtype=np.int64)
            lookup[distinct.to_numpy() - low] = np.arange(distinct.len())
            values = series.fill_null(low).to_numpy()
            return lookup[values - low]
    if series.dtype.is_numeric():
        return np.searchsorted(distinct.to_numpy(), series.to_numpy())
    return distinct.search_sorted(series).to_numpy()


def _question_rows(data: pl.DataFrame, questions: Sequence[Question]) -> _Rows:
    """Answer codes per question and the values of the question's rows per code."""
    specs = _question_specs(data, questions)
    question_of_row = np.asarray([spec[0] for spec in specs], dtype=np.int64)
    answered = np.empty((data.height, len(questions)), dtype=bool, order="F")
    codes = np.empty((data.height, len(questions)), dtype=np.int32, order="F")
    tables = []
    for index, question in enumerate(questions):
        series = data.get_column(question.column)
        distinct = series.drop_nulls().unique().sort()
        found = _positions(distinct, series)
        if series.null_count():
            answered[:, index] = series.is_not_null().to_numpy()
            found = np.where(answered[:, index], found, distinct.len())
        else:
            answered[:, index] = True
        codes[:, index] = found
        mine = [spec for spec in specs if spec[0] == index]
        table = np.zeros((distinct.len() + 1, len(mine)))
        for j, (_, _, _, statistic, selector) in enumerate(mine):
            table[:-1, j] = _row_value(question, distinct, statistic, selector)
        tables.append(table)
    meta = [
        {
            "question": questions[index].column,
            "question_label": questions[index].label or questions[index].column,
            "row": row,
            "row_label": row_label,
            "statistic": statistic,
        }
        for index, row, row_label, statistic, _ in specs
    ]
    return _Rows(
        answered=answered,
        question_of_row=question_of_row,
        meta=meta,
        codes=codes,
        tables=tables,
    )


def _letters(count: int) -> list[str]:
    alphabet = string.ascii_uppercase
    return [alphabet[i % 26] * (i // 26 + 1) for i in range(count)]


def _banner_columns(
    design: Design, variables: Sequence[BannerVariable]
) -> tuple[list[tuple[np.ndarray, int]], pl.DataFrame]:
    """Per banner variable (Total first), each row's column within it (−1: none, or outside the
    design's domain) and its number of columns; and the columns' description."""
    outside = ~design.in_domain
    by_variable = [(np.where(outside, -1, 0), 1)]
    rows: list[dict[str, Any]] = [
        {
            "column_variable": None,
            "column_variable_label": TOTAL,
            "column_level": None,
            "column_label": TOTAL,
            "column_letter": None,
            "group": -1,
        }
    ]
    for group, variable in enumerate(variables):
        if variable.column not in design.data.columns:
            raise SurveyError(f"banner column {variable.column!r} is not in the data")
        series = design.data.get_column(variable.column)
        levels = _levels(series, variable.levels, variable.column)
        codes = _level_codes(series, [level for level, _ in levels])
        for (level, label), letter in zip(levels, _letters(len(levels)), strict=True):
            rows.append(
                {
                    "column_variable": variable.column,
                    "column_variable_label": variable.label or variable.column,
                    "column_level": str(level),
                    "column_label": label,
                    "column_letter": letter,
                    "group": group,
                }
            )
        if outside.any():
            codes = np.where(outside, -1, codes)
        by_variable.append((codes, len(levels)))
    return by_variable, pl.DataFrame(rows)


def _level_codes(series: pl.Series, levels: list[Any]) -> np.ndarray:
    """Each row's index in `levels` (−1: null or another value): a lookup by value for integers
    of a narrow range, an Enum's codes for text, else one comparison per level."""
    if series.dtype.is_integer() and all(isinstance(v, int) for v in levels) and levels:
        low, high = min(levels), max(levels)
        values = series.fill_null(low - 1).to_numpy()
        if high - low < 1 << 16:
            lookup = np.full(high - low + 3, -1, dtype=np.int64)
            lookup[np.asarray(levels) - low + 1] = np.arange(len(levels))
            return lookup[np.clip(values - low + 1, 0, high - low + 2)]
    if series.dtype == pl.String and all(isinstance(v, str) for v in levels):
        present = set(series.drop_nulls().unique().to_list())
        if present <= set(levels):
            enum = series.cast(pl.Enum(levels)).to_physical()
            return enum.cast(pl.Int64).fill_null(-1).to_numpy()
    codes = np.full(series.len(), -1, dtype=np.int64)
    for index, level in enumerate(levels):
        codes[(series == level).fill_null(False).to_numpy()] = index
    return codes


def _aggregates(
    atoms: AtomSums, by_variable: list[tuple[np.ndarray, int]], of: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weighted bases, weighted totals, counts and sums of squared weights (each R × C).

    Sums of atoms (rows alike in every banner column, and in stratum and calibration cell when
    the variances use them too) into columns.
    """
    k = of.size
    members = sparse.vstack(
        [
            sparse.csr_matrix(
                (np.ones(int((code >= 0).sum())), (code[code >= 0], np.flatnonzero(code >= 0))),
                shape=(count, code.size),
            )
            for code, count in (
                (codes[atoms.representative], count) for codes, count in by_variable
            )
        ],
        format="csr",
    )
    counts = atoms.counts(members)
    linear = atoms.linear(members)
    squares = atoms.squares(members)[:, 2 * k :]
    return linear[:, k:].T[of], linear[:, :k].T, counts.T[of], squares.T[of]


@small_pages()
@threadpool_limits.wrap(limits=1, user_api="blas")
def banner(
    design: Design,
    questions: Sequence[Question],
    columns: Sequence[str | BannerVariable],
    *,
    settings: BannerSettings | None = None,
) -> Banner:
    """Compute a banner of `questions` (rows) × Total and the levels of `columns`.

    BLAS runs on one thread here: the banner's products are skinny (atoms × a few answer
    codes, columns × atoms), too small for threads to pay off, and on a loaded machine
    OpenBLAS's spinning threads made them several times slower (5.4 s against 9.6 s at 1M rows).

    >>> import polars as pl
    >>> from observatoire.survey import Design
    >>> frame = pl.DataFrame({"q": [2, 9, 7, 4] * 10, "sexe": ["F", "H"] * 20, "w": [1.0] * 40})
    >>> table = banner(
    ...     Design.from_frame(frame, weights="w"),
    ...     [Question("q", kind="scale", bands=(Band("1–5", 1, 5), Band("6–10", 6, 10)))],
    ...     ["sexe"],
    ... ).table
    >>> table.filter(pl.col("column_label") == "Total")["estimate"].to_list()
    [0.5, 0.5, 5.5]
    """
    settings = settings or BannerSettings()
    if not questions:
        raise SurveyError("a banner needs at least one question")
    variables = [BannerVariable(c) if isinstance(c, str) else c for c in columns]
    rows = _question_rows(design.data, questions)
    by_variable, column_meta = _banner_columns(design, variables)
    weights = design.domain_weights
    groups = column_meta.get_column("group").to_numpy()
    low_rank = variance_route(design)
    parts, calibration = atom_parts(design, low_rank)
    parts += by_variable
    atoms = atom_sums(parts, weights, rows.codes, rows.tables, calibration)
    base, totals, counts, squares = _aggregates(atoms, by_variable, rows.question_of_row)
    all_base, all_totals = base[:, :1], totals[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = totals / base
        effective = base**2 / squares
        rest_base = all_base - base
        rest_estimate = (all_totals - totals) / rest_base
    rest_counts = counts[:, :1] - counts

    df = degrees_of_freedom(design)
    tested = (counts >= max(settings.small_base, 1)) & (counts >= settings.minimum_base)
    cells = Cells(
        design=design,
        answered=rows.answered,
        question_of_row=rows.question_of_row,
        groups=groups,
        by_variable=by_variable,
        estimate=np.nan_to_num(estimate),
        base=np.where(base > 0, base, 1.0),
        rest_estimate=np.nan_to_num(rest_estimate),
        rest_base=np.where(rest_base > 0, rest_base, 1.0),
        codes=rows.codes,
        tables=rows.tables,
        low_rank=low_rank,
        atoms=atoms,
    )
    variances = cell_variances(cells, settings.letters)
    pairs = variances.pairs
    if len(pairs):
        a, b = pairs[:, 1].astype(np.int64), pairs[:, 2].astype(np.int64)
        r = pairs[:, 0].astype(np.int64)
        keep = tested[r, a] & tested[r, b]
        pairs = np.column_stack([r, a, b, estimate[r, a] - estimate[r, b], pairs[:, 3]])[keep]
    return _assemble(
        rows,
        column_meta,
        settings,
        df,
        tuple(questions),
        estimate=estimate,
        variance=variances.cells,
        base=base,
        counts=counts,
        effective=effective,
        rest_estimate=rest_estimate,
        rest_variance=variances.differences,
        compared=tested & (rest_counts >= max(settings.small_base, 1)) & (groups >= 0)[None, :],
        pairs=pairs,
    )


def _p_value(diff: Any, var: Any, df: int) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(diff) / np.sqrt(var)
    return np.where(np.asarray(var) > 0, 2 * stats.t.sf(t, df), np.nan)


def _marker(p_value: np.ndarray, higher: np.ndarray, settings: BannerSettings) -> np.ndarray:
    first, second = (1 - level for level in settings.significance)
    with np.errstate(invalid="ignore"):
        strong, weak = p_value < first, (p_value >= first) & (p_value < second)
    return np.select(
        [strong & higher, strong & ~higher, weak & higher, weak & ~higher],
        ["▲", "▼", "△", "▽"],
        default="",
    )


def _pair_letters(
    pairs: np.ndarray,
    groups: np.ndarray,
    letters: list[str],
    shape: tuple[int, int],
    settings: BannerSettings,
    df: int,
) -> np.ndarray:
    """For each cell, the letters of the same variable's columns it is significantly above."""
    found: list[list[tuple[int, str]]] = [[] for _ in range(shape[0] * shape[1])]
    if len(pairs):
        r, a, b = (pairs[:, i].astype(np.int64) for i in range(3))
        p = adjust_p_values(
            _p_value(pairs[:, 3], pairs[:, 4], df),
            r * (groups.max() + 2) + groups[a],
            settings.correction,
        )
        first, second = (1 - level for level in settings.significance)
        for row, col_a, col_b, diff, p_value in zip(r, a, b, pairs[:, 3], p, strict=True):
            if not p_value < second:
                continue
            high, low = (col_a, col_b) if diff > 0 else (col_b, col_a)
            letter = letters[low] if p_value < first else letters[low].lower()
            found[row * shape[1] + high].append((low, letter))
    return np.array(["".join(letter for _, letter in sorted(cell)) for cell in found])


def _assemble(
    rows: _Rows,
    column_meta: pl.DataFrame,
    settings: BannerSettings,
    df: int,
    questions: tuple[Question, ...],
    *,
    estimate: np.ndarray,
    variance: np.ndarray,
    base: np.ndarray,
    counts: np.ndarray,
    effective: np.ndarray,
    rest_estimate: np.ndarray,
    rest_variance: np.ndarray,
    compared: np.ndarray,
    pairs: np.ndarray,
) -> Banner:
    """Intervals, markers, flags and suppression; one tidy row per question row × column."""
    n_rows, n_columns = estimate.shape
    groups = column_meta.get_column("group").to_numpy()
    is_share = np.array([meta["statistic"] == "share" for meta in rows.meta])[:, None]
    se = np.sqrt(variance)
    quantile = stats.t.ppf(0.5 + settings.confidence / 2, df)
    low, high = estimate - quantile * se, estimate + quantile * se
    low = np.where(is_share, np.clip(low, 0, 1), low)
    high = np.where(is_share, np.clip(high, 0, 1), high)

    diff = estimate - rest_estimate
    p_rest = np.where(compared, _p_value(diff, rest_variance, df), np.nan)
    family = np.arange(n_rows)[:, None] * (groups.max() + 2) + groups[None, :]
    p_rest = adjust_p_values(p_rest.ravel(), family.ravel(), settings.correction).reshape(
        p_rest.shape
    )
    vs_rest = _marker(p_rest, diff > 0, settings)
    letters_list = [letter or "" for letter in column_meta.get_column("column_letter").to_list()]
    letters = _pair_letters(pairs, groups, letters_list, estimate.shape, settings, df)

    suppressed = counts < settings.minimum_base
    hidden = suppressed.ravel()

    def withheld(values: np.ndarray) -> np.ndarray:
        return np.where(hidden, np.nan, values.ravel())

    cells = pl.DataFrame(
        {
            "estimate": withheld(estimate),
            "se": withheld(se),
            "ci_low": withheld(low),
            "ci_high": withheld(high),
            "n": counts.ravel().astype(np.int64),
            "weighted_n": base.ravel(),
            "effective_n": np.nan_to_num(effective.ravel()),
            "rest_difference": withheld(np.where(compared, diff, np.nan)),
            "rest_difference_se": withheld(np.where(compared, np.sqrt(rest_variance), np.nan)),
            "p_value": withheld(p_rest),
            "vs_rest": np.where(hidden, "", vs_rest.ravel()),
            "letters": np.where(hidden, "", letters),
            "small_base": counts.ravel() < settings.small_base,
            "suppressed": hidden,
        }
    ).with_columns(pl.col(pl.Float64).exclude("weighted_n", "effective_n").fill_nan(None))
    row_meta = pl.DataFrame(rows.meta).select(pl.all().repeat_by(n_columns).explode())
    columns = column_meta.drop("group")
    column_block = pl.concat([columns] * n_rows)
    table = pl.concat([row_meta, column_block, cells], how="horizontal")
    return Banner(table=table, columns=columns, settings=settings, df=df, questions=questions)
