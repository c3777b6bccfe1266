"""From a validated wave to the analysis variables: one numeric column per published figure.

Every figure is the weighted mean of a column: a mark (mean /10), a 0/1 indicator of a band,
of an answer code, of a group of codes or of a ticked option (shares). Figures that share the
same base (the respondents who answered that column) form a family, estimated together.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatoire.studies.spec.model import Question, Study

Part = tuple[pl.Expr, str, str | None, str | None]  # value, indicator, category, its label


@dataclass(frozen=True)
class Figure:
    column: str
    question: str
    question_label: str
    indicator: str  # mean, band, share, group
    category: str | None
    category_label: str | None
    order: int  # questionnaire order across waves: question, then item or option, then part


@dataclass(frozen=True)
class Family:
    """Figures with one base: `answered` is True for the respondents in it."""

    answered: str
    figures: tuple[Figure, ...]
    source: Question
    item: str | None


def analysis_frame(
    study: Study, wave: str, frame: pl.DataFrame
) -> tuple[pl.DataFrame, list[Family]]:
    """The profile columns plus, per family, its base flag and its figure columns (nulls as 0)."""
    families: list[Family] = []
    exprs: list[pl.Expr] = []
    for q in study.published_questions(wave):
        order = study.content_questions.index(q) << 40
        targets = [(item.code, item.label, q.item_column(item.code)) for item in q.items]
        if q.type == "multiple":
            # One family per option: each option column is answered (0/1) or missing.
            for i, (code, label, column) in enumerate(targets):
                fam, fam_exprs = _family(len(families), q, None, column, [
                    (pl.col(column).cast(pl.Float64), "share", code, label)],
                    order + (i << 20))  # fmt: skip
                families.append(fam)
                exprs += fam_exprs
            continue
        cells: list[tuple[str | None, str | None, str]] = list(targets) or [(None, None, q.column)]
        for i, (item, item_label, column) in enumerate(cells):
            parts = _figure_exprs(q, pl.col(column))
            fam, fam_exprs = _family(
                len(families), q, (item, item_label), column, parts, order + (i << 20)
            )
            families.append(fam)
            exprs += fam_exprs
    profiles = [q.column for q in study.profiles]
    return frame.select(pl.col(study.respondent_id), *profiles, *exprs), families


def _figure_exprs(q: Question, value: pl.Expr) -> list[Part]:
    parts: list[Part]
    if q.type in ("scale", "numeric"):
        parts = [(value.cast(pl.Float64), "mean", None, None)]
        parts += [
            (value.is_between(b.min, b.max).cast(pl.Float64), "band", b.code, b.label)
            for b in q.bands
        ]
        return parts
    parts = [((value == t.code).cast(pl.Float64), "share", t.code, t.label) for t in q.codes]
    parts += [(value.is_in(g.codes).cast(pl.Float64), "group", g.code, g.label) for g in q.groups]
    return parts


def _family(
    index: int,
    q: Question,
    item: tuple[str | None, str | None] | None,
    column: str,
    parts: list[Part],
    order: int,
) -> tuple[Family, list[pl.Expr]]:
    item_code, item_label = item if item else (None, None)
    question = f"{q.code}.{item_code}" if item_code else q.code
    label = f"{q.short_label} : {item_label}" if item_label else q.short_label
    answered = f"_base{index}"
    exprs = [pl.col(column).is_not_null().alias(answered)]
    figures = []
    for j, (expr, indicator, category, category_label) in enumerate(parts):
        name = f"_f{index}_{j}"
        exprs.append(expr.fill_null(0.0).alias(name))
        figures.append(
            Figure(name, question, label, indicator, category, category_label, order + j)
        )
    return Family(answered, tuple(figures), q, item_code), exprs
