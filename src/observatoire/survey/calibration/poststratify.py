"""Post-stratification: every cell of one column (or of crossed columns) weighted to its count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from observatoire.survey.calibration.adjustments import PostStratification
from observatoire.survey.calibration.cells import group_sums
from observatoire.survey.calibration.diagnostics import Gap, build_diagnostics
from observatoire.survey.calibration.targets import CodedMargin, Margin, as_counts, code_margin
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.memory import small_pages


@small_pages()
def poststratify(
    design: Design,
    columns: str | Sequence[str],
    totals: Mapping[Any, float] | pl.DataFrame,
    *,
    partial: bool = False,
    population_total: float | None = None,
    as_shares: bool = False,
) -> Design:
    """Post-stratify `design` on `columns` (R's ``postStratify``).

    `totals` maps each category (a level, or a tuple of levels for crossed columns) to its
    population count, or to its share when `as_shares` (shares of `population_total`, or of the
    current weighted total when it is None). `partial=True` ignores categories with a target but
    no sampled row (R's ``partial=TRUE``). A replicate design has every replicate post-stratified.

    >>> import polars as pl
    >>> from observatoire.survey.design import Design
    >>> frame = pl.DataFrame({"sex": ["F", "F", "H"], "w": [1.0, 1.0, 1.0]})
    >>> design = poststratify(Design.from_frame(frame, weights="w"), "sex", {"F": 60, "H": 40})
    >>> design.weights.tolist()
    [30.0, 30.0, 40.0]
    """
    base = design.domain_weights
    margin = as_counts(
        [Margin.of(columns, totals)],
        as_shares=as_shares,
        population_total=population_total,
        current_total=float(base.sum()),
    )[0]
    coded = code_margin(design.data, base, margin, partial=partial)
    cells = coded.size + 1
    factor = _cell_factors(coded, group_sums(coded.codes, cells, base), what=None)
    new_base = base * factor[coded.codes]
    replicate_weights = None
    if design.replicates is not None:
        replicates = design.replicates.weights * design.in_domain[:, None]
        sums = group_sums(coded.codes, cells, replicates)
        factors = np.column_stack(
            [_cell_factors(coded, sums[:, r], what=r + 1) for r in range(sums.shape[1])]
        )
        replicate_weights = np.where(
            design.in_domain[:, None],
            design.replicates.weights * factors[coded.codes],
            design.replicates.weights,
        )
    achieved = np.bincount(coded.codes, weights=new_base, minlength=cells)
    diagnostics = build_diagnostics(
        "poststratify",
        iterations=1,
        old_weights=base,
        new_weights=new_base,
        gaps=[
            Gap(margin.name, label, float(target), float(reached))
            for label, target, reached in zip(coded.labels(), coded.targets, achieved, strict=False)
        ],
        notes=_ignored_note(margin, coded),
    )
    adjustment = PostStratification(coded.codes, cells, base, new_base, diagnostics)
    return design.with_weights(
        np.where(design.in_domain, new_base, design.weights), adjustment, replicate_weights
    )


def _cell_factors(coded: CodedMargin, sums: np.ndarray, *, what: int | None) -> np.ndarray:
    """Target / weighted count of each cell (1 for the cell of untargeted zero-weight rows)."""
    empty = np.flatnonzero(sums[: coded.size] <= 0)
    if empty.size:
        raise SurveyError(
            f"margin {coded.margin.name}: replicate {what} has no weight in category "
            f"{coded.labels()[empty[0]]}, so it cannot be post-stratified; merge that category"
        )
    factor = np.ones(coded.size + 1)
    factor[: coded.size] = coded.targets / sums[: coded.size]
    return factor


def _ignored_note(margin: Margin, coded: CodedMargin) -> list[str]:
    ignored = [
        margin.label(key)
        for key, value in margin.totals.items()
        if value > 0 and key not in set(coded.categories)
    ]
    if not ignored:
        return []
    shown = ", ".join(ignored)
    return [f"{margin.name}: {len(ignored)} category(ies) without sampled rows ignored: {shown}"]
