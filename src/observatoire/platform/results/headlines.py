"""The figures a territory's portrait leads with, found in any study's published rows.

The portrait shows the seed's key readings of a territory: its fragilities (a grid of marks over
the `fragilities` vocabulary, read as means and bands), the health of the territory (the
`territory_health` vocabulary's answers) and the « jouer collectif » (the question whose label
names it, with its net "utile ou incontournable"). They are recognised from the rows (codes of
the controlled vocabularies, the question's own label), so any study that asks them gets them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from observatoire import vocabularies
from observatoire.platform.results import published
from observatoire.platform.results.memo import Memo
from observatoire.results_contract import NATIONAL, Indicator, Results

COLLECTIVE_PLAY = "jouer collectif"


@dataclass(frozen=True)
class Headline:
    """One published figure: question, indicator, category (None for means)."""

    question: str
    indicator: str
    category: str | None
    label: str


class Headlines:
    """The key questions of one study's latest wave (None where the study does not ask it)."""

    def __init__(self, results: Results) -> None:
        self.results = results
        latest = results.frame.filter(
            (pl.col("wave") == results.latest) & pl.col("profile").is_null()
        )
        self._latest = latest
        self.questions = latest.select("question", "question_label", "indicator", "category")

    @cached_property
    def fragilities(self) -> str | None:
        """The grid (e.g. "Q3") whose items are fragilities, rated with means."""
        means = (
            self.questions.filter(
                (pl.col("indicator") == Indicator.MEAN)
                & pl.col("question").str.contains(".", literal=True)
            )["question"]
            .unique()
            .to_list()
        )
        codes = set(vocabularies.FRAGILITIES.codes)
        parents: dict[str, set[str]] = {}
        for code in means:
            parent, item = code.split(".", 1)
            parents.setdefault(parent, set()).add(item)
        return next((p for p, items in sorted(parents.items()) if items <= codes), None)

    def fragility_items(self) -> list[str]:
        if self.fragilities is None:
            return []
        prefix = f"{self.fragilities}."
        found = self.questions.filter(
            pl.col("question").str.starts_with(prefix) & (pl.col("indicator") == Indicator.MEAN)
        )
        return sorted(found["question"].unique().to_list())

    @cached_property
    def health(self) -> str | None:
        """The question whose answers are the territory_health vocabulary."""
        wanted = set(vocabularies.TERRITORY_HEALTH.codes)
        return self._single_choice(lambda categories, _label: categories == wanted)

    @cached_property
    def collective_play(self) -> str | None:
        """The question about the « jouer collectif »."""
        return self._single_choice(lambda _categories, label: COLLECTIVE_PLAY in label.casefold())

    def net(self, question: str) -> Headline | None:
        """The question's first group (a net such as "utile ou incontournable"), if any."""
        rows = self._latest.filter(
            (pl.col("question") == question) & (pl.col("indicator") == Indicator.GROUP)
        ).sort("position")
        if rows.is_empty():
            return None
        row = rows.row(0, named=True)
        return Headline(question, str(Indicator.GROUP), row["category"], row["category_label"])

    def first_share(self, question: str) -> Headline | None:
        rows = self._latest.filter(
            (pl.col("question") == question) & (pl.col("indicator") == Indicator.SHARE)
        ).sort("position")
        if rows.is_empty():
            return None
        row = rows.row(0, named=True)
        return Headline(question, str(Indicator.SHARE), row["category"], row["category_label"])

    def choices(self) -> list[tuple[str, str, str]]:
        """Every figure of the latest wave that a map can show, in questionnaire order:
        (QUESTION:INDICATOR:CATEGORY, question label, the figure's label)."""
        rows = (
            self._latest.filter(
                pl.col("indicator").is_in(
                    [str(i) for i in (Indicator.MEAN, Indicator.SHARE, Indicator.GROUP)]
                )
                & (pl.col("territory") != NATIONAL)
            )
            .unique(["question", "indicator", "category"], maintain_order=True)
            .sort("position")
        )
        out = []
        for row in rows.iter_rows(named=True):
            question = str(row["question_label"])
            label = row["category_label"] or question.split(" : ", 1)[-1]
            key = f"{row['question']}:{row['indicator']}:{row['category'] or ''}".rstrip(":")
            out.append((key, question.split(" : ", 1)[0], str(label)))
        return out

    def _single_choice(self, accept: Callable[[set[str], str], bool]) -> str | None:
        shares = self.questions.filter(
            (pl.col("indicator") == Indicator.SHARE)
            & ~pl.col("question").str.contains(".", literal=True)
        )
        for (question,), rows in shares.group_by(["question"], maintain_order=True):
            categories = set(rows["category"].drop_nulls().to_list())
            label = str(rows["question_label"][0])
            if accept(categories, label):
                return str(question)
        return None


_cache: Memo[Headlines] = Memo(8)


def headlines_of(study: published.PublishedStudy) -> Headlines:
    """The study's headlines, found once per publication."""
    return _cache.get(study.uid, lambda: Headlines(study.results))
