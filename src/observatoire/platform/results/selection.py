"""A selection of published figures, as the results API and its downloads give it.

Filters by study, wave, territory (any INSEE code or reference: a commune resolves to its study
region, the communes of its size class and France, see `domains`), question, profile, population,
indicator and `versus` (the other population of a difference between two populations); every
value is checked and an unknown one is refused, naming it. Each estimated figure carries its
comparisons as the pipeline published them (changes since the previous wave, against the rest of
France or of the respondents, against another population), each with its interval and whether it
is significant: the platform computes no test of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from observatoire.errors import InputError
from observatoire.platform.results import published
from observatoire.platform.results.domains import (
    Domain,
    Place,
    domains,
    place,
    reading,
    study_region_name,
)
from observatoire.platform.results.domains import size_profile as find_size_profile
from observatoire.platform.results.memo import Memo
from observatoire.results_contract import (
    CHANGE,
    ESTIMATED,
    INDICATORS,
    NATIONAL,
    VERSUS_REST,
    Flag,
    Indicator,
    base_indicator,
)

DEFAULT_INDICATORS = (*ESTIMATED, Indicator.RANK)
ALL_WAVES = "all"
MAX_TEXT = 100
# A comparison's kind, from the suffix of the derived row that holds it.
PREVIOUS_WAVE, REST = "previous_wave", "rest"
POPULATION = "population"


@dataclass(frozen=True)
class Query:
    study: str | None = None
    wave: str | None = None  # a wave id, ALL_WAVES, or None for each study's latest
    territory: str | None = None
    question: str | None = None  # a question code, or a grid ("Q3") for all its items
    profile: str | None = None
    profile_level: str | None = None
    population: str | None = None
    indicator: str | None = None
    versus: str | None = None  # the other population of a `<x>_vs_population` row

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value is not None and (len(value) > MAX_TEXT or "\x00" in value):
                raise InputError(f"at most {MAX_TEXT} characters, no NUL byte", field=name)


@dataclass
class Selection:
    """The rows a query names: filtered and ordered per study, described (names, readings,
    comparisons) only when read, so that a page of a large selection costs a page."""

    query: Query
    place: Place | None
    studies: dict[str, published.PublishedStudy] = field(default_factory=dict)
    parts: list[tuple[_Index, pl.DataFrame]] = field(default_factory=list)
    given: list[dict[str, Any]] | None = None  # rows already described (a chart's)

    @property
    def synthetic(self) -> bool:
        """Whether any study the selection reads is synthetic (demo) data."""
        return any(s.synthetic for s in self.studies.values())

    @property
    def notices(self) -> dict[str, str]:
        return {code: s.notice for code, s in self.studies.items() if s.synthetic}

    @property
    def count(self) -> int:
        return len(self.given) if self.given is not None else sum(f.height for _, f in self.parts)

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        return self.given if self.given is not None else self.page(0, self.count)

    def page(self, start: int, size: int) -> list[dict[str, Any]]:
        """Rows start to start + size, described."""
        if self.given is not None:
            return self.given[start : start + size]
        out: list[dict[str, Any]] = []
        for index, frame in self.parts:
            if len(out) >= size:
                break
            if start >= frame.height:
                start -= frame.height
                continue
            chunk = frame.slice(start, size - len(out)).drop(RANK).to_dicts()
            out += [index.describe(row) for row in chunk]
            start = 0
        return out


RANK = "_domain_rank"  # the place's own domains first


def select(query: Query, where: Place | None = None) -> Selection:
    """Every published row the query names, estimated figures with their comparisons; `where`
    stands for the query's territory when the caller already holds it."""
    chosen = _studies(query.study)
    if where is None and query.territory:
        where = place(query.territory)
    selection = Selection(query, where, studies={s.code: s for s in chosen})
    questions_seen = False
    for study in chosen:
        index = _index(study)
        frame = index.frame
        conditions = [*_wave(study, query.wave), *_indicator(query.indicator)]
        if query.question:
            matching = index.questions_matching(query.question)
            if not matching:
                continue
            questions_seen = True
            conditions.append(pl.col("question").is_in(matching))
        if query.population:
            if "population" not in frame.columns or query.population not in index.populations:
                continue
            conditions.append(pl.col("population") == query.population)
        if query.versus:
            if query.versus not in index.populations:
                continue
            conditions.append(pl.col("versus") == query.versus)
        conditions += _profile(index, query)
        ranked = _domains(index, where)
        if ranked is not None:
            conditions.append(_in_domains(ranked))
        part = frame.filter(*conditions).with_columns(_rank(ranked or []).alias(RANK))
        order = ["wave", "position", "indicator", RANK, pl.col("profile_level").fill_null("")]
        selection.parts.append((index, part.sort(order)))
    _refuse_unknown(query, chosen, questions_seen)
    return selection


def _rank(ranked: Sequence[Domain]) -> pl.Expr:
    """Each row's place among the domains (0 for the place's own first one)."""
    expression = pl.lit(0)
    for i, domain in reversed(list(enumerate(ranked))):
        expression = pl.when(_in_domains([domain])).then(pl.lit(i)).otherwise(expression)
    return expression


def _unknown(what: str, value: str, known: list[str], field: str | None = None) -> InputError:
    listed = ", ".join(known) or "none"
    return InputError(f"unknown {what} {value!r} (published: {listed})", field=field or what)


def _studies(code: str | None) -> list[published.PublishedStudy]:
    everything = published.studies()
    if code is None:
        return everything
    found = [s for s in everything if s.code == code]
    if not found:
        raise _unknown("study", code, [s.code for s in everything])
    return found


def _wave(study: published.PublishedStudy, wave: str | None) -> list[pl.Expr]:
    if wave == ALL_WAVES:
        return []
    if wave is None:
        return [pl.col("wave") == study.latest_wave]
    if wave not in study.results.waves:
        raise _unknown("wave", wave, [*study.results.waves, ALL_WAVES])
    return [pl.col("wave") == wave]


def _indicator(indicator: str | None) -> list[pl.Expr]:
    if indicator is None:
        return [pl.col("indicator").is_in([str(i) for i in DEFAULT_INDICATORS])]
    if indicator not in INDICATORS:
        raise _unknown("indicator", indicator, sorted(INDICATORS))
    return [pl.col("indicator") == indicator]


def _profile(index: _Index, query: Query) -> list[pl.Expr]:
    conditions = []
    if query.profile:
        if query.profile not in index.profiles:
            raise _unknown("profile", query.profile, sorted(index.profiles))
        conditions.append(pl.col("profile") == query.profile)
    if query.profile_level:
        levels = (
            index.profiles[query.profile]
            if query.profile
            else set().union(*index.profiles.values())
        )
        if query.profile_level not in levels:
            raise _unknown("profile level", query.profile_level, sorted(levels), "profile_level")
        conditions.append(pl.col("profile_level") == query.profile_level)
    return conditions


def _domains(index: _Index, where: Place | None) -> list[Domain] | None:
    return None if where is None else domains(where, index.size_profile)


def _in_domains(ranked: Sequence[Domain]) -> pl.Expr:
    expressions = [
        (pl.col("territory") == d.territory)
        & (pl.col("profile").is_null() if d.profile is None else pl.col("profile") == d.profile)
        & (
            pl.col("profile_level").is_null()
            if d.profile_level is None
            else pl.col("profile_level") == d.profile_level
        )
        for d in ranked
    ]
    combined = expressions[0]
    for expression in expressions[1:]:
        combined = combined | expression
    return combined


def _refuse_unknown(query: Query, chosen: Iterable[published.PublishedStudy], seen: bool) -> None:
    studies = list(chosen)
    if query.question and not seen:
        known = sorted({q for s in studies for q in _index(s).parents})
        raise _unknown("question", query.question, [*known, "a grid's items as Q3.sante"])
    if query.population:
        known = sorted({p for s in studies for p in _index(s).populations})
        if query.population not in known:
            raise _unknown("population", query.population, known)
    if query.versus:
        known = sorted({p for s in studies for p in _index(s).populations})
        if query.versus not in known:
            raise _unknown("population", query.versus, known, "versus")


class _Index:
    """What the selection needs of one publication, built once per publication."""

    def __init__(self, study: published.PublishedStudy) -> None:
        self.study = study
        self.frame = study.results.frame
        self.questions = self.frame["question"].unique().to_list()
        self.parents = {q.split(".", 1)[0] for q in self.questions}
        pairs = self.frame.filter(pl.col("profile").is_not_null()).select(
            "profile", "profile_level"
        )
        self.profiles: dict[str, set[str]] = defaultdict(set)
        for profile, level in pairs.unique().iter_rows():
            self.profiles[profile].add(level)
        self.size_profile = find_size_profile(pairs.unique().iter_rows())
        self.populations = (
            set(self.frame["population"].drop_nulls().unique().to_list())
            if "population" in self.frame.columns
            else set()
        )

    def questions_matching(self, code: str) -> list[str]:
        return [q for q in self.questions if q == code or q.startswith(f"{code}.")]

    @cached_property
    def comparisons(self) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
        """Derived rows by the key of the figure they compare (versus set aside)."""
        derived = self.frame.filter(
            pl.col("indicator").str.ends_with(CHANGE)
            | pl.col("indicator").str.contains("_vs_", literal=True)
        )
        out: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in derived.iter_rows(named=True):
            out[self._key(row, str(base_indicator(row["indicator"])))].append(row)
        return out

    def _key(self, row: dict[str, Any], indicator: str) -> tuple[Any, ...]:
        return (
            row["wave"],
            row["question"],
            indicator,
            row["category"],
            row.get("population"),
            row["territory"],
            row["profile"],
            row["profile_level"],
        )

    def describe(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row as the API gives it: its territory's name, its reading, its flags as a list,
        whether the data are synthetic, and (estimated figures) its comparisons."""
        is_estimated = row["indicator"] in {str(i) for i in ESTIMATED}
        derived = self.comparisons.get(self._key(row, row["indicator"]), []) if is_estimated else []
        return {
            **row,
            "territory_name": "France"
            if row["territory"] == NATIONAL
            else study_region_name(row["territory"]),
            "reading": reading(row["territory"], row["profile"], self.size_profile),
            "flags": [row["flag"]] if row["flag"] else [],
            "synthetic": self.study.synthetic,
            "comparisons": [self._comparison(d) for d in derived],
        }

    def _comparison(self, row: dict[str, Any]) -> dict[str, Any]:
        indicator = row["indicator"]
        if indicator.endswith(CHANGE):
            kind, versus = PREVIOUS_WAVE, self.study.results.previous
        elif indicator.endswith(VERSUS_REST):
            kind, versus = REST, None
        else:
            kind, versus = POPULATION, row.get("versus")
        return {
            "reference": kind,
            "versus": versus,
            "difference": row["estimate"],
            "se": row["se"],
            "ci_low": row["ci_low"],
            "ci_high": row["ci_high"],
            "significant": row["flag"] == Flag.SIGNIFICANT,
        }


def size_profile(study: published.PublishedStudy) -> str | None:
    """The study's banner profile of commune size classes, if it has one."""
    return _index(study).size_profile


_indexes: Memo[_Index] = Memo(8)


def _index(study: published.PublishedStudy) -> _Index:
    """One index per publication."""
    return _indexes.get(study.uid, lambda: _Index(study))
