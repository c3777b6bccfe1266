"""The figures the seed publishes by actor type (published.yaml of a multi-population study).

They are what the synthetic respondents are tuned to, what the cross-reading shows beside each
estimate ("published: 92 %"), and what the tests check the pipeline against. Each cell says how
sure it is: `published` (legible in the source), `inferred` (through an OCR fix or a column
attribution) or `unpublished` (a plausible value for the demo, never shown as a finding).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observatoire.studies.spec.problems import Problem, StudyInvalid, read_mapping

STATUSES = ("published", "inferred", "unpublished")


@dataclass(frozen=True)
class PublishedCell:
    """One population's figure for one question (or grid item) and group of answers."""

    question: str  # "Q2", or "Q7.mobilisation" for a grid item
    group: str  # the answer group the figure is a share of
    population: str
    value: float
    status: str
    lines: str = ""
    note: str = ""


@dataclass(frozen=True)
class PublishedFigures:
    """Every cell of published.yaml, plus what the generator needs beyond the published groups."""

    source: str
    cells: tuple[PublishedCell, ...]
    indispensable: dict[str, PublishedCell]  # Q2 "incontournable" share, by population
    own_item: dict[str, str]  # population -> the grid item on its own kind ("Q7.performance-…")
    moderate_gap: float  # Q7: at-least-moderate share = strong share + gap (capped)
    moderate_cap: float

    def cell(self, question: str, population: str) -> PublishedCell | None:
        for c in self.cells:
            if c.question == question and c.population == population:
                return c
        return None


def load_published(path: Path) -> PublishedFigures:
    """Read published.yaml; StudyInvalid lists every problem with its field."""
    file = str(path)
    doc = read_mapping(path, "file of published figures")
    problems: list[Problem] = []
    questions = doc.get("questions")
    if not isinstance(questions, dict):
        raise StudyInvalid([Problem(file, "'questions' must map question codes to their cells")])
    cells: list[PublishedCell] = []
    indispensable: dict[str, PublishedCell] = {}
    own: dict[str, str] = {}
    gap, cap = 0.0, 1.0
    for code, spec in questions.items():
        group = str(spec.get("group", ""))
        where = f"questions.{code}"
        if "cells" in spec:
            cells += _cells(code, group, spec["cells"], file, where, problems)
        for item, by_population in (spec.get("items") or {}).items():
            cells += _cells(
                f"{code}.{item}", group, by_population, file, f"{where}.items.{item}", problems
            )
        if "indispensable" in spec:
            found = _cells(code, "indispensable", spec["indispensable"], file, where, problems)
            indispensable = {c.population: c for c in found}
        own.update({str(k): f"{code}.{v}" for k, v in (spec.get("own_item") or {}).items()})
        if "at_least_moderate_gap" in spec:
            gap = float(spec["at_least_moderate_gap"]["value"])
            cap = float(spec["at_least_moderate_gap"].get("cap", 1.0))
    if problems:
        raise StudyInvalid(problems)
    return PublishedFigures(str(doc.get("source", "")), tuple(cells), indispensable, own, gap, cap)


def _cells(
    question: str,
    group: str,
    by_population: Any,
    file: str,
    where: str,
    problems: list[Problem],
) -> list[PublishedCell]:
    out = []
    for population, cell in (by_population or {}).items():
        field = f"{where}.{population}"
        value = cell.get("value") if isinstance(cell, dict) else None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(
                Problem(file, f"value must be a share from 0 to 1, not {value!r}", field=field)
            )
            continue
        status = cell.get("status")
        if status not in STATUSES:
            problems.append(
                Problem(file, f"status {status!r} is not one of {', '.join(STATUSES)}", field=field)
            )
            continue
        out.append(
            PublishedCell(
                question=question,
                group=group,
                population=str(population),
                value=float(value),
                status=str(status),
                lines=str(cell.get("lines", "")),
                note=str(cell.get("note", "")),
            )
        )
    return out
