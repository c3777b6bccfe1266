"""Raking (iterative proportional fitting) on any number of margins, crossed margins included.

Rows sharing a category in every margin always get the same weight ratio, so the iterations run
on the joint cells of the margins (a few hundred, whatever the number of rows) instead of on the
rows: each row is read once to code it and once to write its new weight. Replicate weights are
raked in the same pass, one column each.

Convergence is checked the strict way: after each cycle over the margins, the largest relative
gap |weighted total − target| / target over every category of every margin (and every replicate)
must be below `epsilon`; otherwise `SurveyError` names the margin and category still off.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np

from observatoire.survey.calibration.adjustments import Raking, RakingStep
from observatoire.survey.calibration.cells import group_sums, indicator, safe_divide
from observatoire.survey.calibration.diagnostics import Gap, build_diagnostics
from observatoire.survey.calibration.greg import calibrate
from observatoire.survey.calibration.targets import (
    CodedMargin,
    MarginsLike,
    as_counts,
    check_margins_agree,
    code_margin,
    combine_codes,
    normalise_margins,
)
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.memory import small_pages

RULES = ("gap", "r")
R_RULE_AGREEMENT = 1e-6
"""How closely margins must agree under R's rule, which has no tolerance of its own."""


@small_pages()
def rake(
    design: Design,
    margins: MarginsLike,
    *,
    population_total: float | None = None,
    as_shares: bool = False,
    max_iter: int = 100,
    epsilon: float = 1e-10,
    bounds: tuple[float, float] | None = None,
    rule: Literal["gap", "r"] = "gap",
) -> Design:
    """Rake `design` to `margins` (R's ``rake``, run to convergence).

    `margins` maps a column (or a tuple of columns, for a crossed margin such as age × sex) to
    ``{category: target}``; see `observatoire.survey.calibration.targets` for the other shapes.
    Targets are counts, or shares when `as_shares` (of `population_total`, or of the current
    weighted total when it is None); counts of different margins must agree. With `bounds`
    (L, U) on g = new / old weight, raking is done as bounded raking-ratio calibration
    (``calibrate(method="raking")``, as CALMAR does), since IPF cannot bound weights.

    `rule="r"` reproduces R's own stopping rule instead, for parity with a given R call
    (``control=list(maxit=max_iter, epsilon=epsilon)``): stop when no cell of the crossed table
    of all margins moved by more than `epsilon` (times the total weight when `epsilon` < 1) in
    a cycle, or after `max_iter` cycles with a warning. R's default (10 cycles, epsilon 1) can
    stop with margins visibly missed; the diagnostics show the gaps left.

    >>> import polars as pl
    >>> from observatoire.survey.design import Design
    >>> frame = pl.DataFrame({"sex": ["F", "F", "H", "H"], "age": ["-", "+", "-", "+"]})
    >>> margins = {"sex": {"F": 50, "H": 50}, "age": {"-": 30, "+": 70}}
    >>> raked = rake(Design.from_frame(frame), margins)
    >>> [round(w, 6) for w in raked.weights.tolist()]
    [15.0, 35.0, 15.0, 35.0]
    """
    if max_iter < 1 or not epsilon > 0:
        raise SurveyError("raking needs max_iter >= 1 and epsilon > 0")
    if rule not in RULES:
        raise SurveyError(f"unknown raking rule {rule!r}; use 'gap' or 'r'")
    if rule == "r" and bounds is not None:
        raise SurveyError("R's rake has no bounds: bounded raking uses the default rule")
    base = design.domain_weights
    counts = as_counts(
        normalise_margins(margins),
        as_shares=as_shares,
        population_total=population_total,
        current_total=float(base.sum()),
    )
    if not counts:
        raise SurveyError("raking needs at least one margin")
    agreement = max(epsilon, 1e-12) if rule == "gap" else R_RULE_AGREEMENT
    check_margins_agree(counts, rel_tol=agreement, against=population_total)
    if bounds is not None:
        return calibrate(
            design,
            {},
            margins=counts,
            method="raking",
            bounds=bounds,
            max_iter=max_iter,
            epsilon=epsilon,
        )
    coded = [code_margin(design.data, base, margin) for margin in counts]
    joint, combos = combine_codes([c.codes for c in coded], [c.size + 1 for c in coded])
    cells = len(combos)
    columns = base[:, None]
    if design.replicates is not None:
        columns = np.column_stack([base, design.replicates.weights * design.in_domain[:, None]])
    start = np.asarray(indicator(joint, cells) @ columns)
    table, steps, cycles, notes = _fit(
        start, combos, coded, max_iter=max_iter, epsilon=epsilon, rule=rule
    )
    ratio = np.where(start > 0, safe_divide(table, start), 1.0)
    new_base = base * ratio[joint, 0]
    replicate_weights = None
    if design.replicates is not None:
        replicate_weights = np.where(
            design.in_domain[:, None],
            design.replicates.weights * ratio[joint, 1:],
            design.replicates.weights,
        )
    gaps = [
        Gap(c.margin.name, label, float(target), float(reached))
        for index, c in enumerate(coded)
        for label, target, reached in zip(
            c.labels(),
            c.targets,
            group_sums(combos[:, index], c.size + 1, table[:, 0]),
            strict=False,
        )
    ]
    diagnostics = build_diagnostics(
        "raking", iterations=cycles, old_weights=base, new_weights=new_base, gaps=gaps, notes=notes
    )
    adjustment = Raking(joint, cells, base, steps, diagnostics)
    return design.with_weights(
        np.where(design.in_domain, new_base, design.weights), adjustment, replicate_weights
    )


def _fit(
    start: np.ndarray,
    combos: np.ndarray,
    coded: list[CodedMargin],
    *,
    max_iter: int,
    epsilon: float,
    rule: str,
) -> tuple[np.ndarray, list[RakingStep], int, list[str]]:
    """IPF on the joint-cell table `start` (cells × weight columns) until `rule` is met.

    Returns the fitted table, the margin steps of the last cycle (for R's variance), the
    number of cycles and notes for the diagnostics.
    """
    table = start.copy()
    for index, margin in enumerate(coded):
        sums = group_sums(combos[:, index], margin.size + 1, start)
        _check_replicates(margin, sums)
    previous = start[:, 0].copy()
    threshold = epsilon * float(start[:, 0].sum()) if epsilon < 1 else epsilon
    for cycle in range(1, max_iter + 1):
        steps = []
        for index, margin in enumerate(coded):
            category = combos[:, index]
            sums = group_sums(category, margin.size + 1, table)
            factor = np.ones_like(sums)
            factor[: margin.size] = margin.targets[:, None] / sums[: margin.size]
            table *= factor[category]
            steps.append(
                RakingStep(category, margin.size + 1, safe_divide(table[:, 0], start[:, 0]))
            )
        if rule == "r":
            change = float(np.max(np.abs(table[:, 0] - previous)))
            if change < threshold:
                return table, steps, cycle, [f"stopped by R's rule after {cycle} cycles"]
            if cycle == max_iter:
                message = (
                    f"raking stopped after {max_iter} cycles without meeting R's rule "
                    f"(a cell still moved by {change:.3g}); see the diagnostics' gaps"
                )
                warnings.warn(message, stacklevel=3)
                return table, steps, cycle, [message]
            previous = table[:, 0].copy()
            continue
        worst = _worst_gap(table, combos, coded)
        if worst[0] < epsilon:
            return table, steps, cycle, []
    gap, worst_margin, worst_category, column = worst
    where = "" if column == 0 else f" (replicate {column})"
    raise SurveyError(
        f"raking did not converge in {max_iter} cycles: margin {worst_margin.margin.name}, "
        f"category {worst_margin.labels()[worst_category]}{where} is still {gap:.3g} (relative) "
        "away from its target; "
        "check that the margins are consistent, merge sparse categories or raise max_iter"
    )


def _check_replicates(margin: CodedMargin, sums: np.ndarray) -> None:
    empty = np.argwhere(sums[: margin.size] <= 0)
    if empty.size:
        category, column = empty[0]
        raise SurveyError(
            f"margin {margin.margin.name}: replicate {column} has no weight in category "
            f"{margin.labels()[category]}, so it cannot be raked; merge that category"
        )


def _worst_gap(
    table: np.ndarray, combos: np.ndarray, coded: list[CodedMargin]
) -> tuple[float, CodedMargin, int, int]:
    """The largest relative gap over margins, categories and weight columns, and where it is."""
    worst: tuple[float, CodedMargin, int, int] = (-1.0, coded[0], 0, 0)
    for index, margin in enumerate(coded):
        sums = group_sums(combos[:, index], margin.size + 1, table)[: margin.size]
        relative = np.abs(sums - margin.targets[:, None]) / margin.targets[:, None]
        category, column = np.unravel_index(int(np.argmax(relative)), relative.shape)
        if relative[category, column] > worst[0]:
            worst = (float(relative[category, column]), margin, int(category), int(column))
    return worst
