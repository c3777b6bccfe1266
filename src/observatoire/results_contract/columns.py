"""The tidy result rows: their columns, types and meaning, and the check that a frame has them.

One row per published figure. Everything a reader may rely on is named here once: the columns
and their types (`COLUMNS`), the columns that locate a row (`KEY`), the flags (`Flag`), the
indicators and the names of the rows derived from them (`change`, `versus_rest`,
`versus_population`).

    >>> change(Indicator.MEAN), versus_rest("share"), base_indicator("group_vs_rest")
    ('mean_change', 'share_vs_rest', <Indicator.GROUP: 'group'>)
    >>> versus_population("group"), base_indicator("share_vs_population")
    ('group_vs_population', <Indicator.SHARE: 'share'>)
    >>> [column.name for column in COLUMNS][:4]
    ['study', 'wave', 'population', 'question']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import polars as pl

from observatoire.errors import InputError
from observatoire.territory.registry import COUNTRY

NATIONAL: Final = COUNTRY  # the `territory` of figures about the whole of France


class Flag(StrEnum):
    """What a row's `flag` says; null when there is nothing to say."""

    SMALL_BASE = "small_base"  # fewer respondents than the study's `min_base`: read with care
    SUPPRESSED = "suppressed"  # fewer than `suppress_below`: estimate, se and interval withheld
    SIGNIFICANT = "significant"  # a change or a contrast significant at the study's level


class Indicator(StrEnum):
    """What an estimated figure is. Rows derived from one add a suffix (`change`, `versus_rest`)."""

    MEAN = "mean"  # mean on the question's own scale (marks 1-10)
    BAND = "band"  # share of the marks that fall in a band (1-5, 6-7, 8-10)
    SHARE = "share"  # share of an answer, or of an option ticked
    GROUP = "group"  # share of a group of answers (a net: "useful or essential")
    RANK = "rank"  # rank of a grid item's mean among the question's items (1 = highest)


ESTIMATED: Final = (Indicator.MEAN, Indicator.BAND, Indicator.SHARE, Indicator.GROUP)
CHANGE: Final = "_change"
VERSUS_REST: Final = "_vs_rest"
VERSUS_POPULATION: Final = "_vs_population"


def change(indicator: str) -> str:
    """The row of a figure's change, latest wave minus the previous one ("mean_change").

    For ranks, "rank_change" is the previous rank minus the current one (positive: climbed).
    """
    return f"{Indicator(indicator)}{CHANGE}"


def versus_rest(indicator: str) -> str:
    """The row of a region's figure minus the rest of France's, or of a banner profile level's
    figure minus the other respondents' ("share_vs_rest")."""
    return f"{Indicator(indicator)}{VERSUS_REST}"


def versus_population(indicator: str) -> str:
    """The row of a population's figure minus another population's ("group_vs_population"):
    independent samples, so the variances add. The other population is in `versus`."""
    return f"{Indicator(indicator)}{VERSUS_POPULATION}"


INDICATORS: Final = frozenset(
    [
        *Indicator,
        *(change(i) for i in (*ESTIMATED, Indicator.RANK)),
        *map(versus_rest, ESTIMATED),
        *map(versus_population, ESTIMATED),
    ]
)


def base_indicator(indicator: str) -> Indicator:
    """The estimated indicator a row is about: "mean_change" -> MEAN; ValueError if unknown."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    return Indicator(
        indicator.removesuffix(CHANGE).removesuffix(VERSUS_REST).removesuffix(VERSUS_POPULATION)
    )


def is_mean(indicator: str) -> bool:
    """Whether a row reads on the question's scale (a mean) rather than as a share."""
    return base_indicator(indicator) == Indicator.MEAN


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    meaning: str
    required: bool = False  # never null


COLUMNS: Final = (
    Column("study", pl.String(), "study code (study.yaml `study`)", True),
    Column("wave", pl.String(), "wave id (study.yaml `waves[].id`)", True),
    Column("population", pl.String(), "whose figure: the actor type of the population surveyed "
           "(actor_types vocabulary: citoyens, collectivites, entreprises, associations, "
           "fondations; study.yaml `population` or `populations[].code`)", True),
    Column("question", pl.String(), "question code; for grids `<question>.<item>` (e.g. "
           "Q3.sante)", True),
    Column("indicator", pl.String(), "mean | band | share | group | rank; <x>_change = latest "
           "wave minus previous; <x>_vs_rest = region minus the rest of France, or profile level "
           "minus the other respondents; rank_change = previous rank minus rank; "
           "<x>_vs_population = the population minus the one in `versus`", True),
    Column("category", pl.String(), "answer code, band code, group code or option code (null "
           "for means and ranks)"),
    Column("territory", pl.String(), f"{NATIONAL}, or the INSEE code of the study region", True),
    Column("profile", pl.String(), "banner variable (null for all respondents)"),
    Column("profile_level", pl.String(), "code of the banner variable (null for all respondents)"),
    Column("versus", pl.String(), "on <x>_vs_population rows, the population whose figure is "
           "subtracted (independent samples); null on every other row"),
    Column("position", pl.Int64(), "questionnaire order of the figure (question, item, answer): "
           "sort by it to list figures as the questionnaire does; derived rows share it", True),
    Column("estimate", pl.Float64(), "the figure: shares as fractions (0.74), means on their own "
           "scale (null when suppressed)"),
    Column("se", pl.Float64(), "standard error (design-based, Taylor linearisation after raking)"),
    Column("ci_low", pl.Float64(), "lower bound of the confidence interval (study.yaml "
           "reporting.confidence)"),
    Column("ci_high", pl.Float64(), "upper bound of the confidence interval"),
    Column("n", pl.Int64(), "unweighted base: respondents who answered"),
    Column("weighted_n", pl.Float64(), "weighted base (population represented)"),
    Column("flag", pl.String(), "small_base (n < min_base), suppressed (n < suppress_below: "
           "figure withheld), significant (changes and comparisons significant at the study's "
           "level), or null"),
    Column("question_label", pl.String(), "French label of the question (and item)", True),
    Column("category_label", pl.String(), "French label of the category"),
)  # fmt: skip
SCHEMA: Final[Mapping[str, pl.DataType]] = {c.name: c.dtype for c in COLUMNS}

# The columns other than question, indicator and category that say whose figure a row is (and,
# for comparisons between populations, against whom), with the value a reader means when it does
# not name them (the wave defaults to the latest one; the population, to the study's only one).
DOMAIN: Final[Mapping[str, str | None]] = {
    "population": None,
    "territory": NATIONAL,
    "profile": None,
    "profile_level": None,
    "versus": None,
}
KEY: Final = ("wave", "question", "indicator", "category", *DOMAIN)  # unique in a study


class ResultsInvalid(InputError):
    """Result rows that break the contract; the message lists every problem."""


def check_results(frame: pl.DataFrame, file: str | None = None) -> pl.DataFrame:
    """The frame with exactly the contract's columns, in order, or ResultsInvalid saying why.

    Columns may come as a narrower type of the same kind (Int32 for Int64) or as all-null; they
    are cast. Values are checked where the contract fixes them: flags, indicators, non-null
    columns, and one row per KEY.
    """
    problems = [f"missing column {c.name!r} ({c.dtype})" for c in COLUMNS if c.name not in frame]
    problems += [f"unexpected column {name!r}" for name in frame.columns if name not in SCHEMA]
    problems += [
        f"column {name!r} is {frame.schema[name]}, not {dtype}"
        for name, dtype in SCHEMA.items()
        if name in frame and not _castable(frame.schema[name], dtype)
    ]
    if problems:
        raise ResultsInvalid("; ".join(problems), file=file)
    frame = frame.select(pl.col(name).cast(dtype) for name, dtype in SCHEMA.items())
    problems += [
        f"column {c.name!r} is null in {nulls} row(s)"
        for c in COLUMNS
        if c.required and (nulls := frame[c.name].null_count())
    ]
    problems += _unknown(frame, "flag", {str(f) for f in Flag})
    problems += _unknown(frame, "indicator", INDICATORS)
    duplicated = frame.select(KEY).is_duplicated()
    if duplicated.any():
        first = frame.filter(duplicated).row(0, named=True)
        problems.append(f"{duplicated.sum()} rows share their key {KEY}, e.g. {first}")
    if problems:
        raise ResultsInvalid("; ".join(problems), file=file)
    return frame


def _castable(actual: pl.DataType, expected: pl.DataType) -> bool:
    if actual == expected or actual == pl.Null():
        return True
    if expected == pl.Int64():
        return actual.is_integer()
    return expected == pl.Float64() and actual.is_numeric()


def _unknown(frame: pl.DataFrame, column: str, allowed: set[str] | frozenset[str]) -> list[str]:
    values = set(frame[column].drop_nulls().unique().to_list()) - allowed
    if not values:
        return []
    return [f"column {column!r} holds unknown values {sorted(values)} (allowed: {sorted(allowed)})"]
