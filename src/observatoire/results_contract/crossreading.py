"""The cross-reading of a study of several populations ("regards croisés"), as both the study
documents and the web pages show it.

For each figure of the shared questions (national, all respondents): every population's
estimate with its interval and base, its difference with the reference population (the
citizens) as the pipeline computed it (independent samples), whether it is an actor's view of
its own kind (the "own performance" diagonal), and the figure the source publication gives for
that cell, with its status, when the study's metadata carries one.

    >>> from observatoire.results_contract import read_published
    >>> reading = cross_reading(read_published(folder))  # doctest: +SKIP
    >>> [cell.population for cell in reading.lines[0].cells]  # doctest: +SKIP
    ['citoyens', 'collectivites', 'entreprises', 'associations', 'fondations']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from observatoire.results_contract.columns import NATIONAL, Indicator, versus_population
from observatoire.results_contract.reader import Results, Row


@dataclass(frozen=True)
class Population:
    """One population as results.json describes it (`populations`)."""

    code: str
    label: str
    meta: Mapping[str, Any]  # universe, source, sample size, design, weights...


@dataclass(frozen=True)
class Cell:
    population: str
    row: Row | None  # the figure (None if this population was not asked)
    versus_reference: Row | None  # minus the reference population (None for the reference)
    own: bool  # an actor's view of its own kind
    published: Mapping[str, Any] | None  # {value, status, lines, note} from the source, if any

    @property
    def small_base(self) -> bool:
        return self.row is not None and self.row["flag"] in ("small_base", "suppressed")


@dataclass(frozen=True)
class Line:
    """One figure of a shared question, across the populations."""

    question: str  # "Q2", or "Q7.mobilisation" for a grid item
    indicator: str
    category: str | None
    question_label: str
    category_label: str | None
    cells: tuple[Cell, ...]

    @property
    def parent(self) -> str:
        """The shared question's code ("Q7" for "Q7.mobilisation")."""
        return self.question.split(".", 1)[0]

    def cell(self, population: str) -> Cell | None:
        return next((c for c in self.cells if c.population == population), None)


@dataclass(frozen=True)
class CrossReading:
    populations: tuple[Population, ...]
    reference: str | None
    lines: tuple[Line, ...]

    def label(self, population: str) -> str:
        return next((p.label for p in self.populations if p.code == population), population)

    def questions(self) -> list[str]:
        """The shared questions, in questionnaire order."""
        return list(dict.fromkeys(line.parent for line in self.lines))

    def of(self, question: str, indicator: str | None = None) -> list[Line]:
        """The lines of one shared question (all its items), optionally of one indicator."""
        return [
            line
            for line in self.lines
            if line.parent == question and (indicator is None or line.indicator == indicator)
        ]


class Readable(Protocol):
    """A published study: results.json's metadata and its rows (the contract's `Published`,
    or the platform's publication read from its database)."""

    @property
    def meta(self) -> Mapping[str, Any]: ...

    @property
    def results(self) -> Results: ...


def cross_reading(
    published: Readable, indicators: Iterable[str] = (Indicator.SHARE, Indicator.GROUP)
) -> CrossReading:
    """The cross-reading of a published study of several populations (or of one: then every
    line has one cell and no comparison)."""
    results = published.results
    meta = published.meta
    described = meta.get("populations") or [
        {"code": code, "label": code} for code in results.populations
    ]
    populations = tuple(Population(p["code"], p.get("label", p["code"]), p) for p in described)
    reference = meta.get("reference")
    own = {(item, population) for population, item in (meta.get("own_items") or {}).items()}
    source = {
        (f["question"], f["group"], f["population"]): f for f in meta.get("published_figures") or []
    }
    wanted = [str(i) for i in indicators]
    national = results.frame.filter(
        (pl.col("territory") == NATIONAL)
        & pl.col("profile").is_null()
        & pl.col("versus").is_null()
        & pl.col("indicator").is_in(wanted)
        & (pl.col("wave") == results.latest)
    )
    figures = (
        national.group_by("question", "indicator", "category")
        .agg(pl.col("position").min(), pl.col("question_label", "category_label").first())
        .sort("position", "indicator")
    )
    lines = []
    for figure in figures.iter_rows(named=True):
        key = (figure["question"], figure["indicator"], figure["category"])
        cells = []
        for p in populations:
            row = results.get(*key, population=p.code)
            versus = (
                results.get(
                    key[0],
                    versus_population(key[1]),
                    key[2],
                    population=p.code,
                    versus=reference,
                )
                if reference and p.code != reference
                else None
            )
            cells.append(
                Cell(
                    population=p.code,
                    row=row,
                    versus_reference=versus,
                    own=(figure["question"], p.code) in own,
                    published=source.get((figure["question"], figure["category"], p.code)),
                )
            )
        lines.append(Line(*key, figure["question_label"], figure["category_label"], tuple(cells)))
    return CrossReading(populations, reference, tuple(lines))
