"""What a territory's page shows: each question of the latest wave, read against a reference.

A region is read against the rest of France (its `versus_rest` rows), France against the
previous wave (`change` rows). A marker appears only where the pipeline flagged the difference
as significant, so the page never shows a difference that sampling error explains. Questions and
answers come in questionnaire order (grid items by rank); numbers read in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from observatoire.platform.results.published import PublishedStudy
from observatoire.results_contract import (
    NATIONAL,
    Flag,
    Indicator,
    Row,
    formats,
    significant,
)

HEADLINE = (Indicator.MEAN, Indicator.SHARE, Indicator.GROUP)  # indicators shown as lines


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    interval: str
    base: str
    reference: str  # the national figure (regions) or the previous wave's (France)
    difference: str  # signed difference when significant, else ""
    direction: str  # "up", "down" or ""
    rank: str
    rank_value: int | None
    suppressed: bool
    small_base: bool


@dataclass
class Section:
    code: str
    title: str
    lines: list[Line] = field(default_factory=list)


def _section_title(label: str) -> str:
    return label.split(" : ", 1)[0]


def line_label(row: Row) -> str:
    """The answer; for an item of a grid, the item first ("Santé", "L'innovation : Fort")."""
    label = str(row["question_label"])
    item = label.split(" : ", 1)[1] if " : " in label else None
    if row["category_label"]:
        return f"{item} : {row['category_label']}" if item else str(row["category_label"])
    return item or label


def reading(study: PublishedStudy, territory: str, language: str) -> list[Section]:
    """The sections of a territory's page, in questionnaire order, grid items by rank."""
    results = study.results
    sections: dict[str, Section] = {}
    for row in results.rows(HEADLINE, territory=territory):
        question, indicator, category = row["question"], row["indicator"], row["category"]
        base_question = question.split(".", 1)[0]
        section = sections.setdefault(
            base_question, Section(base_question, _section_title(row["question_label"]))
        )
        if territory == NATIONAL:
            contrast = results.change(question, indicator, category)
            reference = (
                results.get(question, indicator, category, wave=results.previous)
                if results.previous
                else None
            )
        else:
            contrast = results.versus_rest(question, indicator, category, territory)
            reference = results.get(question, indicator, category)
        shown = contrast if significant(contrast) else None
        rank = results.estimate(question, Indicator.RANK, territory=territory)
        suppressed = row["flag"] == Flag.SUPPRESSED

        def number(value: float | None, indicator: str = indicator) -> str:
            return formats.value(value, indicator, language=language)

        section.lines.append(
            Line(
                label=line_label(row),
                value="–" if suppressed else number(row["estimate"]),
                interval=""
                if suppressed or row["ci_low"] is None
                else f"{number(row['ci_low'])} – {number(row['ci_high'])}",
                base=formats.count(row["n"], language=language),
                reference=number(reference["estimate"]) if reference else "–",
                difference=formats.difference(shown["estimate"], indicator, language=language)
                if shown
                else "",
                direction=("up" if shown["estimate"] > 0 else "down") if shown else "",
                rank=formats.ordinal(rank, language=language) if rank else "",
                rank_value=int(rank) if rank else None,
                suppressed=suppressed,
                small_base=row["flag"] == Flag.SMALL_BASE,
            )
        )
    for section in sections.values():
        ranks = [line.rank_value for line in section.lines]
        if None not in ranks:
            section.lines.sort(key=lambda line: line.rank_value or 0)
    return list(sections.values())


def weight_in_total(study: PublishedStudy, territory: str) -> float | None:
    """The territory's share of the population the study represents (latest wave)."""
    here, total = study.results.weighted_base(territory), study.results.weighted_base(NATIONAL)
    return None if here is None or not total else here / total


@dataclass(frozen=True)
class Pair:
    label: str
    first: Line | None
    second: Line | None


@dataclass
class PairedSection:
    code: str
    title: str
    pairs: list[Pair] = field(default_factory=list)


def comparison(
    study: PublishedStudy, first: str, second: str, language: str
) -> list[PairedSection]:
    """Two study regions' readings side by side, line by line in the first region's order."""
    theirs = {s.code: s for s in reading(study, second, language)}
    out = []
    for section in reading(study, first, language):
        other = (
            {line.label: line for line in theirs[section.code].lines}
            if (section.code in theirs)
            else {}
        )
        out.append(
            PairedSection(
                section.code,
                section.title,
                [Pair(line.label, line, other.get(line.label)) for line in section.lines],
            )
        )
    return out
