"""The respondent beside their peers: each answer that a study also asks, next to the published
share of the same answer, with its confidence interval and base.

Read from the published aggregates through the results app (never microdata). The lookup is
generic: (study, question, answer, population, territory) in a study's tidy results, whose
`population` column says whose figure a row is: citizens (IMPACT-Citoyens, read in the
respondent's study region and in France) or an actor type (IMPACT-Acteurs, one population per
actor type). Nothing is compared when the published
answers of a question differ from the questionnaire's (codes or wording of the scale); the
questions' wording is held equal to the studies' by a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from observatoire import territory, vocabularies
from observatoire.platform.diagnostic.questionnaire import (
    Item,
    Question,
    Questionnaire,
    SameAs,
    Text,
)
from observatoire.platform.diagnostic.scoring import Answers
from observatoire.platform.results import published
from observatoire.results_contract import NATIONAL, Flag

CITIZENS = "citoyens"


@dataclass(frozen=True)
class Figure:
    """The published share of respondents of `population` in `territory` who gave the answer."""

    study: str
    study_title: str
    wave: str
    population: str  # actor type code
    territory: str  # "FR" or a study region code
    share: float | None  # None when the study withheld it (base too small)
    ci_low: float | None
    ci_high: float | None
    base: int
    small_base: bool
    synthetic: bool

    def population_label(self, language: str = "fr") -> str:
        return vocabularies.ACTOR_TYPES[self.population].label(language)

    def territory_label(self, language: str = "fr") -> str:
        if self.territory == NATIONAL:
            return "France"
        return territory.study_region_name(self.territory)


@dataclass(frozen=True)
class Comparison:
    key: str  # the answer's key (question code, or CODE.item)
    question: Text
    item: Text | None
    answer: Text  # the respondent's answer (one option of a multiple question)
    figures: list[Figure] = field(default_factory=list)


def compare(qn: Questionnaire, actor_type: str, commune: str, answers: Answers) -> list[Comparison]:
    """A comparison for each answer that a published study also asks, in questionnaire order."""
    region = territory.get(commune, "commune").study_region if commune else None
    out = []
    for q in qn.answer_questions(actor_type):
        for key, item, code in _answered(q, answers):
            choice = q.choice(code)
            if choice is None:
                continue
            figures: dict[tuple[str, str], Figure] = {}
            for ref in q.same_as:  # the first study to publish a population and place gives it
                for figure in _figures(ref, q, item, code, actor_type, region):
                    figures.setdefault((figure.population, figure.territory), figure)
            if figures:
                label = item.label if item else None
                out.append(Comparison(key, q.label, label, choice.label, list(figures.values())))
    return out


def _answered(q: Question, answers: Answers) -> list[tuple[str, Item | None, str]]:
    """(answer key, grid item, answer code) of each answer to compare."""
    if not q.same_as:
        return []
    out = []
    for key, item in q.entries:
        value = answers.get(key)
        codes = value if q.kind == "multiple" and isinstance(value, list) else [value]
        out += [(key, item, code) for code in codes if isinstance(code, str)]
    return out


def _figures(
    ref: SameAs, q: Question, item: Item | None, code: str, actor_type: str, region: str | None
) -> list[Figure]:
    study = published.load(ref.study)
    if study is None:
        return []
    question = f"{ref.question}.{item.code}" if item else ref.question
    rows = study.results.frame.filter(
        pl.col("wave") == study.latest_wave,
        pl.col("question") == question,
        pl.col("indicator") == "share",
        pl.col("profile").is_null(),
    )
    if not _same_scale(rows, q, item):
        return []
    wanted = [(CITIZENS, region), (CITIZENS, NATIONAL)]
    if actor_type != CITIZENS:
        wanted.append((actor_type, NATIONAL))
    figures = []
    for population, place in wanted:
        if place is None:
            continue
        row = _row(rows, population, place, code)
        if row is not None:
            figures.append(_figure(study, population, place, row))
    return figures


def _same_scale(rows: pl.DataFrame, q: Question, item: Item | None) -> bool:
    """The published answers are the questionnaire's, code for code and label for label."""
    if rows.is_empty():
        return False
    published_scale = set(rows.select("category", "category_label").unique().iter_rows())
    ours = {(c.code, c.label.fr) for c in q.choices}
    if published_scale != ours:
        return False
    if item is not None:
        labels = set(rows.get_column("question_label").unique().to_list())
        return all(label.endswith(f" : {item.label.fr}") for label in labels)
    return True


def _row(rows: pl.DataFrame, population: str, place: str, code: str) -> dict[str, Any] | None:
    found = rows.filter(
        pl.col("population") == population, pl.col("territory") == place, pl.col("category") == code
    )
    return found.row(0, named=True) if found.height else None


def _figure(
    study: published.PublishedStudy, population: str, place: str, row: dict[str, Any]
) -> Figure:
    withheld = row["flag"] == Flag.SUPPRESSED
    return Figure(
        study=study.code,
        study_title=study.title,
        wave=study.latest_wave,
        population=population,
        territory=place,
        share=None if withheld else row["estimate"],
        ci_low=None if withheld else row["ci_low"],
        ci_high=None if withheld else row["ci_high"],
        base=int(row["n"]),
        small_base=row["flag"] == Flag.SMALL_BASE,
        synthetic=bool(study.meta.get("synthetic")),
    )


def notices(comparisons: list[Comparison]) -> dict[str, str]:
    """The synthetic-data notice of each study compared whose respondents are synthetic."""
    out: dict[str, str] = {}
    for comparison in comparisons:
        for figure in comparison.figures:
            if figure.synthetic and figure.study not in out:
                study = published.load(figure.study)
                out[figure.study] = str(study.meta.get("notice", "")) if study else ""
    return out
