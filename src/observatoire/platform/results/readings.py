"""What a territory's page shows: each question of the latest wave, read against a reference.

A region is read against the rest of France (`<indicator>_vs_rest` rows), France against the
previous wave (`<indicator>_change` rows). A marker appears only where the pipeline flagged the
difference as significant, so the page never shows a difference that sampling error explains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from observatoire.platform.results.published import NATIONAL, PublishedStudy
from observatoire.studies import formats

HEADLINE = ("mean", "share", "group")  # indicators shown as lines, in this order


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    interval: str
    base: int
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


def _index(frame: pl.DataFrame) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {(r["question"], r["indicator"], r["category"]): r for r in frame.iter_rows(named=True)}


def _section_title(label: str) -> str:
    return label.split(" : ", 1)[0]


def _line_label(row: dict[str, Any]) -> str:
    """The answer; for an item of a grid, the item first ("Santé", "L'innovation : Fort")."""
    label = str(row["question_label"])
    item = label.split(" : ", 1)[1] if " : " in label else None
    if row["category_label"]:
        return f"{item} : {row['category_label']}" if item else str(row["category_label"])
    return item or label


def reading(study: PublishedStudy, territory: str) -> list[Section]:
    """The sections of a territory's page, questions in study order, grid items by rank."""
    frame = study.results.filter(
        pl.col("territory") == territory,
        pl.col("wave") == study.latest_wave,
        pl.col("profile").is_null(),
    )
    here = _index(frame)
    national = _index(
        study.results.filter(
            pl.col("territory") == NATIONAL,
            pl.col("wave") == study.latest_wave,
            pl.col("profile").is_null(),
        )
    )
    previous = (
        _index(
            study.results.filter(
                pl.col("territory") == territory,
                pl.col("wave") == study.previous_wave,
                pl.col("profile").is_null(),
            )
        )
        if study.previous_wave
        else {}
    )
    versus = "_change" if territory == NATIONAL else "_vs_rest"
    reference = previous if territory == NATIONAL else national
    sections: dict[str, Section] = {}
    for row in frame.filter(pl.col("indicator").is_in(HEADLINE)).iter_rows(named=True):
        indicator, key = row["indicator"], (row["question"], row["indicator"], row["category"])
        base_question = row["question"].split(".", 1)[0]
        section = sections.setdefault(
            base_question, Section(base_question, _section_title(row["question_label"]))
        )
        contrast = here.get((row["question"], indicator + versus, row["category"]))
        significant = contrast is not None and contrast["flag"] == "significant"
        rank = here.get((row["question"], "rank", None))
        ref = reference.get(key)
        suppressed = row["flag"] == "suppressed"
        section.lines.append(
            Line(
                label=_line_label(row),
                value="–" if suppressed else formats.value(row["estimate"], indicator),
                interval=""
                if suppressed or row["ci_low"] is None
                else f"{formats.value(row['ci_low'], indicator)} – "
                f"{formats.value(row['ci_high'], indicator)}",
                base=int(row["n"]),
                reference=formats.value(ref["estimate"], indicator) if ref else "–",
                difference=formats.signed(contrast["estimate"], share=indicator != "mean")
                if significant and contrast
                else "",
                direction=("up" if contrast["estimate"] > 0 else "down")
                if significant and contrast
                else "",
                rank=formats.ordinal(rank["estimate"]) if rank else "",
                rank_value=int(rank["estimate"]) if rank else None,
                suppressed=suppressed,
                small_base=row["flag"] == "small_base",
            )
        )
    for section in sections.values():
        ranks = [line.rank_value for line in section.lines]
        if None not in ranks:
            section.lines.sort(key=lambda line: line.rank_value or 0)
    return sorted(sections.values(), key=lambda s: _question_order(s.code))


def _question_order(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


def weight_in_total(study: PublishedStudy, territory: str) -> float | None:
    """The territory's share of the population the study represents (latest wave)."""
    frame = study.results.filter(
        pl.col("wave") == study.latest_wave,
        pl.col("profile").is_null(),
        pl.col("indicator").is_in(HEADLINE),
    )
    bases = frame.group_by("territory").agg(pl.col("weighted_n").max())
    lookup = dict(zip(bases["territory"], bases["weighted_n"], strict=True))
    if territory not in lookup or not lookup.get(NATIONAL):
        return None
    return float(lookup[territory]) / float(lookup[NATIONAL])
