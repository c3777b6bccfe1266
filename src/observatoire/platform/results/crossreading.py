"""The "Regards croisés" page and the actor figures shown where a page speaks of an actor type.

Read from the published aggregates of a study of several populations (IMPACT-Acteurs) through
the results contract's cross-reading, exactly as its documents read them: each population's
share with its interval and base, its difference with the citizens where significant, the actor's
view of its own kind, and the source's figure for the cell when the study carries one.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatoire import vocabularies
from observatoire.platform.results import published
from observatoire.results_contract import Row, formats, significant
from observatoire.results_contract.crossreading import Cell, CrossReading, Line, cross_reading

HEADLINE_GROUPS = ("utile-ou-indispensable", "fort-ou-tres-fort")  # what each question sums up


@dataclass(frozen=True)
class Mark:
    """One population on one figure, ready for the page (numbers in the page's language)."""

    population: str
    label: str
    value: str
    interval: str
    base: str
    gap: str
    direction: str  # "up", "down" or ""
    own: bool
    reference: bool
    small_base: bool
    published: str
    status: str
    # positions on a 0–100 scale for the interval drawing (None when withheld)
    low: float | None
    point: float | None
    high: float | None


@dataclass(frozen=True)
class Figure:
    title: str
    reference: float | None  # the citizens' value, 0–100, for the reference line
    marks: list[Mark]


@dataclass(frozen=True)
class Question:
    code: str
    title: str
    group: str
    figures: list[Figure]


def reading(study: published.PublishedStudy) -> CrossReading:
    return cross_reading(study)


def questions(study: published.PublishedStudy, language: str) -> list[Question]:
    """Each shared question's headline figures (per item for a grid), population by population."""
    current = reading(study)
    out = []
    for code in current.questions():
        lines = [
            line for line in current.of(code, "group") if line.category in HEADLINE_GROUPS
        ] or current.of(code)[:1]
        if not lines:
            continue
        title = str(lines[0].question_label).split(" : ", 1)[0]
        out.append(
            Question(
                code=code,
                title=title,
                group=str(lines[0].category_label or ""),
                figures=[_figure(current, line, language) for line in lines],
            )
        )
    return out


def _figure(current: CrossReading, line: Line, language: str) -> Figure:
    label = str(line.question_label)
    title = label.split(" : ", 1)[1] if " : " in label else label
    reference = line.cell(current.reference) if current.reference else None
    ref = reference.row["estimate"] if reference and reference.row else None
    return Figure(
        title=title,
        reference=None if ref is None else round(ref * 100, 1),
        marks=[_mark(current, cell, language) for cell in line.cells if cell.row is not None],
    )


def _mark(current: CrossReading, cell: Cell, language: str) -> Mark:
    row = cell.row
    assert row is not None
    estimate = row["estimate"]
    gap = cell.versus_reference
    direction = ""
    if significant(gap):
        assert gap is not None
        direction = "up" if gap["estimate"] > 0 else "down"
    source = cell.published or {}
    return Mark(
        population=cell.population,
        label=population_label(current, cell.population, language),
        value=formats.percent(estimate, language=language),
        interval=_interval(row, language),
        base=formats.count(row["n"], language=language),
        gap=formats.signed(gap["estimate"], share=True, language=language) if gap else "",
        direction=direction,
        own=cell.own,
        reference=cell.population == current.reference,
        small_base=cell.small_base,
        published=formats.percent(source["value"], language=language)
        if source and source.get("status") != "unpublished"
        else "",
        status=str(source.get("status", "")),
        low=None if estimate is None else round(row["ci_low"] * 100, 1),
        point=None if estimate is None else round(estimate * 100, 1),
        high=None if estimate is None else round(row["ci_high"] * 100, 1),
    )


def population_label(current: CrossReading, code: str, language: str) -> str:
    """The study's own label in French ("Élus locaux"), the vocabulary's in English."""
    if not language.startswith("fr") and code in vocabularies.ACTOR_TYPES:
        return vocabularies.ACTOR_TYPES[code].en
    return current.label(code)


def _interval(row: Row, language: str) -> str:
    if row["ci_low"] is None:
        return formats.MISSING
    low = formats.percent(row["ci_low"], language=language)
    return f"{low} – {formats.percent(row['ci_high'], language=language)}"


@dataclass(frozen=True)
class ActorFigures:
    """What one actor type says in the cross-reading, for a page that speaks of that actor."""

    actor_type: str
    label: str
    study: published.PublishedStudy
    lines: list[tuple[str, Mark]]  # (what, the actor's figure)


def actor_figures(actor_type: str, language: str) -> ActorFigures | None:
    """The actor type's headline figures (and its own performance), or None if no published
    study of several populations surveyed it."""
    study = published.crossreading_study()
    if study is None or actor_type not in study.results.populations:
        return None
    current = reading(study)
    lines = []
    for question in questions(study, language):
        for figure in question.figures:
            mark = next((m for m in figure.marks if m.population == actor_type), None)
            if mark is None or (len(question.figures) > 1 and not mark.own):
                continue
            what = f"{question.title} — {question.group.lower()}"
            if mark.own:
                item = figure.title[:1].lower() + figure.title[1:]
                what = f"{question.title} : {item} — {question.group.lower()}"
            lines.append((what, mark))
    if not lines:
        return None
    return ActorFigures(actor_type, population_label(current, actor_type, language), study, lines)
