"""Synthetic respondents for the demo study IMPACT-Acteurs (no real microdata ships here).

For each population with its own data (local elected officials, companies, associations,
foundations), draws the sample its design describes from its universe (strata sizes from the
universe file or counted from the territory data; allocation from study.yaml), then answers the
shared questions from a multinomial logit whose intercepts are solved so that the expected
result, weighted by the design weights (stratum size / sample size), equals the figure of
published.yaml: sampling noise is then the only gap. Profile effects below are plausible,
unpublished ones that only make the breakdowns less flat. The same seed gives the same file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from observatoire.errors import InputError
from observatoire.studies.demo.generate import Effects, Profiles, _choose, _impact_shares
from observatoire.studies.spec.populations import MultiStudy, Population, load_multi_study
from observatoire.studies.spec.published import PublishedFigures

MIN_PER_STRATUM = 2  # a stratum needs two sampled units for its variance, unless it is a census
NOT_USEFUL_SPLIT = 0.75  # of the "not useful" answers to Q2, the share "peu utile"; unpublished
_POSITIVE = ("indispensable", "utile")
_STRONG = ("tres-fort", "fort")
# Effects in log-odds, by population: (profile column, code) -> {question: {answer: shift}}.
# All unpublished (the seed gives no figure by commune size, company size or employer status).
EFFECTS: dict[str, dict[tuple[str, str], dict[str, dict[str, float]]]] = {
    "collectivites": {
        ("commune_size", "plus-50000"): {
            "Q2": {"indispensable": 0.5}, "Q7": dict.fromkeys(_STRONG, 0.3)},
        ("commune_size", "20000-50000"): {
            "Q2": {"indispensable": 0.3}, "Q7": dict.fromkeys(_STRONG, 0.2)},
        ("commune_size", "moins-2000"): {
            "Q7.innovation-grande-echelle": dict.fromkeys(_STRONG, -0.2)},
    },
    "entreprises": {
        ("size", "grande"): {
            "Q2": dict.fromkeys(_POSITIVE, 0.6),
            "Q7.performance-entreprises": dict.fromkeys(_STRONG, 0.4)},
        ("size", "intermediaire"): {"Q2": dict.fromkeys(_POSITIVE, 0.4)},
        ("size", "tres-petite"): {"Q2": dict.fromkeys(_POSITIVE, -0.2)},
    },
    "associations": {
        ("employer", "employeuse"): {
            "Q2": {"indispensable": 0.3},
            "Q7.performance-associations": dict.fromkeys(_STRONG, 0.4)},
    },
}  # fmt: skip


def generate_actors_demo(folder: Path | str) -> list[Path]:
    """Write the data file of every population of the study that has its own data."""
    study = load_multi_study(folder)
    if not study.synthetic:
        raise InputError(
            "refusing to overwrite the data of a study that is not marked `synthetic: true`",
            file=str(Path(folder) / "study.yaml"),
            field="synthetic",
        )
    if study.published is None:
        raise InputError(
            "a synthetic multi-population study needs `published` (the figures to tune to)",
            file=str(Path(folder) / "study.yaml"),
            field="published",
        )
    written = []
    for population in study.populations:
        if population.external:
            continue
        path = study.data_path(population)
        path.parent.mkdir(parents=True, exist_ok=True)
        synthetic_population(study, population, study.published).write_csv(path)
        written.append(path)
    return written


def allocate(sizes: list[float], n: int, minimum: int = MIN_PER_STRATUM) -> list[int]:
    """Share `n` sampled units among strata of these sizes: in proportion, at least `minimum`
    per stratum (all of a smaller one), never more than a stratum holds.

    >>> allocate([45, 3, 2, 10], 20)
    [13, 2, 2, 3]
    """
    size = np.asarray(sizes, dtype=float)
    cap = np.floor(size)
    low = np.minimum(minimum, cap)
    if n > cap.sum() or n < low.sum():
        raise InputError(
            f"cannot draw {n} units from {len(size)} strata holding {cap.sum():,.0f} "
            f"(at least {low.sum():,.0f} needed for {minimum} per stratum)"
        )
    lo, hi = 0.0, float((cap / size).max() * 2 + n)
    for _ in range(100):  # the proportion factor that fills n once clipped to [low, cap]
        factor = (lo + hi) / 2
        lo, hi = (factor, hi) if np.clip(factor * size, low, cap).sum() < n else (lo, factor)
    ideal = np.clip(hi * size, low, cap)
    counts = np.maximum(np.floor(ideal), low)
    order = np.argsort(-(ideal - counts), kind="stable")
    for i in order[: int(n - counts.sum())]:
        counts[i] += 1
    return [int(c) for c in counts]


def sample_plan(population: Population) -> dict[tuple[str, ...], tuple[float, int]]:
    """Stratum (codes of the strata variables) -> (units in the universe, units sampled)."""
    assert population.universe is not None and population.wave is not None
    sizes = population.universe.stratum_sizes(population.strata)
    keys = sorted(sizes)
    allocation = population.allocation
    if allocation is None:
        drawn = allocate([sizes[k] for k in keys], population.wave.sample_size)
        return {k: (sizes[k], n) for k, n in zip(keys, drawn, strict=True)}
    at = population.strata.index(allocation.variable)
    plan = {}
    for code, n in allocation.sizes.items():
        group = [k for k in keys if k[at] == code]
        for k, drawn_k in zip(group, allocate([sizes[k] for k in group], n), strict=True):
            plan[k] = (sizes[k], drawn_k)
    return plan


def synthetic_population(
    study: MultiStudy, population: Population, published: PublishedFigures
) -> pl.DataFrame:
    """One population's synthetic respondents, as the CSV columns study.yaml describes."""
    assert population.wave is not None
    rng = np.random.default_rng(population.wave.seed)
    plan = sample_plan(population)
    profiles: Profiles = {
        column: np.array([k[i] for k, (_, n) in plan.items() for _ in range(n)], dtype=str)
        for i, column in enumerate(population.strata)
    }
    weights = np.concatenate([np.full(n, size / n) for size, n in plan.values()])
    order = rng.permutation(len(weights))  # interviews do not come in stratum order
    profiles = {column: values[order] for column, values in profiles.items()}
    weights = weights[order]
    code = population.code
    columns: dict[str, np.ndarray] = {
        study.respondent_id: np.array([f"{code}-{i + 1:05d}" for i in range(len(weights))]),
        **profiles,
    }
    effects = EFFECTS.get(code, {})
    # the answer model needs at least one profile column, even for a population without strata
    profiles = profiles or {"": np.zeros(len(weights), dtype=str)}
    for question_code in population.questions:
        q = study.question(question_code)
        if not q.items:
            shares = _utility_shares(published, question_code, code)
            columns[q.column] = _choose(
                shares, _for(effects, question_code), profiles, weights, rng
            )
            continue
        for item in q.items:
            key = f"{question_code}.{item.code}"
            shares = _impact(published, key, code)
            item_effects = _merge(_for(effects, question_code), _for(effects, key))
            columns[q.item_column(item.code)] = _choose(
                shares, item_effects, profiles, weights, rng
            )
    return pl.DataFrame(columns)


def _target(published: PublishedFigures, question: str, population: str) -> float:
    cell = published.cell(question, population)
    if cell is None:
        raise InputError(
            f"published.yaml gives no figure, not even an unpublished one, for {question} and "
            f"population {population!r}: add it (status: unpublished if the seed has none)"
        )
    return cell.value


def _utility_shares(
    published: PublishedFigures, question: str, population: str
) -> dict[str, float]:
    useful = _target(published, question, population)
    indispensable = published.indispensable[population].value
    return {
        "indispensable": indispensable,
        "utile": useful - indispensable,
        "peu-utile": (1 - useful) * NOT_USEFUL_SPLIT,
        "inutile": (1 - useful) * (1 - NOT_USEFUL_SPLIT),
    }


def _impact(published: PublishedFigures, key: str, population: str) -> dict[str, float]:
    strong = _target(published, key, population)
    return _impact_shares(strong, min(strong + published.moderate_gap, published.moderate_cap))


def _for(effects: dict[tuple[str, str], dict[str, dict[str, float]]], question: str) -> Effects:
    return {where: by[question] for where, by in effects.items() if question in by}


def _merge(first: Effects, second: Effects) -> Effects:
    merged: dict[tuple[str, str], dict[str, float]] = {k: dict(v) for k, v in first.items()}
    for where, shifts in second.items():
        for answer, shift in shifts.items():
            merged.setdefault(where, {})[answer] = merged.get(where, {}).get(answer, 0.0) + shift
    return merged
