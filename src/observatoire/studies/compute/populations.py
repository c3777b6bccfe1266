"""Computing a study of several populations: each one weighted by its own design, then read
side by side.

- A surveyed population (mayors, companies...) is a stratified design whose strata are the
  crossing of its `design.strata` variables, each stratum's size (finite-population correction
  and expansion weight N_h / n_h) coming from its universe; it is then raked to its universe's
  margins when study.yaml says so. Its figures are estimated nationally, by region if it has a
  territory variable, and by each banner profile, as a single study's are.
- A population read from another study (the citizens) keeps that study's design and weighting;
  its figures of the shared questions are estimated nationally.
- Every population is then compared with every other one, figure by figure (national, all
  respondents): the populations are independent samples, so the variance of a difference is
  the sum of the variances (the engine's `independent_differences`). Citizens are the reference:
  each actor population is compared with them and with the other actors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import polars as pl

from observatoire.results_contract import ESTIMATED, NATIONAL, Flag, versus_population
from observatoire.studies.compute import finish
from observatoire.studies.compute.estimates import Base, bases, estimate, wave_figures
from observatoire.studies.compute.figures import analysis_frame
from observatoire.studies.compute.weighting import WaveWeighting, summarise, weight_wave
from observatoire.studies.spec.populations import MultiStudy, Population
from observatoire.studies.spec.validate import PopulationWave
from observatoire.survey import Design, Estimates, independent_differences, mean
from observatoire.survey.calibration import rake

REFERENCE = "citoyens"  # the population every other one is read against first
STRATUM, STRATUM_SIZE = "_stratum", "_stratum_size"

Figure = tuple[str, str, str | None]  # question, indicator, category


@dataclass(frozen=True)
class PopulationsResults:
    study: MultiStudy
    results: pl.DataFrame  # the published tidy rows (observatoire.results_contract)
    populations: dict[str, PopulationWave]  # in study.yaml order
    weighting: dict[str, WaveWeighting]
    designs: dict[str, Design] = field(default_factory=dict)  # in memory only


@dataclass(frozen=True)
class _National:
    """A population's national estimates, one engine call per base, labelled by figure (the
    same label in every population, so that the engine pairs them)."""

    n: dict[str, int]  # figure label -> base
    estimates: dict[str, Estimates]  # figure label -> the estimates holding it


def compute_populations(
    study: MultiStudy,
    checked: dict[str, PopulationWave],
    progress: Callable[[str], None] = lambda _label: None,
) -> PopulationsResults:
    """Weight every population by its own design, estimate its figures, compare populations."""
    frames = []
    national: dict[str, _National] = {}
    weighting: dict[str, WaveWeighting] = {}
    designs: dict[str, Design] = {}
    for code, checked_population in checked.items():
        population, single, wave = (
            checked_population.population,
            checked_population.study,
            checked_population.wave,
        )
        progress(f"Weighting: {population.label}")
        data, families = analysis_frame(single, wave.id, checked_population.frame)
        answers = checked_population.frame.drop(
            [c for c in checked_population.frame.columns if c in data.columns]
        )
        if population.external:
            design, weighting[code] = weight_wave(single, wave, data.hstack(answers))
        else:
            design, weighting[code] = weight_population(population, data.hstack(answers))
        designs[code] = design
        progress(f"Estimating: {population.label}")
        together = bases(families, data)
        national[code] = _national(design, together, study.confidence)
        if population.external:  # its own study publishes its breakdowns
            figures = pl.concat(
                estimate(design, base, None, study.confidence)[0] for base in together
            ).with_columns(territory=pl.lit(NATIONAL))
        else:
            figures = wave_figures(single, wave, design, together, with_contrasts=False)
        frames.append(
            figures.drop([c for c in ("_i", "variable") if c in figures.columns]).with_columns(
                population=pl.lit(code)
            )
        )
    progress("Comparing the populations")
    figures = pl.concat(frames, how="diagonal_relaxed")
    figures = pl.concat(
        [figures, comparisons(study, figures, national)], how="diagonal_relaxed"
    ).with_columns(wave=pl.lit(study.wave.id))
    for column in ("versus", "flag"):  # absent when no population has another to compare with
        if column not in figures.columns:
            figures = figures.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    figures = _in_questionnaire_order(study, figures)
    results = finish(figures, study.code, study.min_base, study.suppress_below)
    return PopulationsResults(study, results, dict(checked), weighting, designs)


def weight_population(population: Population, data: pl.DataFrame) -> tuple[Design, WaveWeighting]:
    """The population's stratified design with finite-population corrections (stratum sizes
    from its universe, expansion weights N_h / n_h), raked to its universe's margins if asked."""
    universe, wave = population.universe, population.wave
    assert universe is not None and wave is not None
    sizes = universe.stratum_sizes(population.strata)
    strata = list(population.strata)
    keys = data.select(strata).rows() if strata else [()] * data.height
    data = data.with_columns(
        pl.Series(STRATUM, ["|".join(k) for k in keys], dtype=pl.String),
        pl.Series(STRATUM_SIZE, [sizes[k] for k in keys], dtype=pl.Float64),
    )
    design = Design.from_frame(data, strata=STRATUM if strata else None, fpc=STRATUM_SIZE)
    margins = {v: universe.margin(v) for v in population.margins}
    if population.weighting == "raking" and margins:
        total = universe.total
        shares = {v: {k: n / total for k, n in m.items()} for v, m in margins.items()}
        design = rake(design, shares, as_shares=True, population_total=total)
    return design, summarise(wave, data, design, population.margins)


def label(figure: Figure) -> str:
    """A figure's label in the engine's estimates: question|indicator|category."""
    return "|".join(part or "" for part in figure)


def _national(design: Design, together: list[Base], level: float) -> _National:
    """The national estimates of every figure, each base in one engine call."""
    n: dict[str, int] = {}
    estimates: dict[str, Estimates] = {}
    for base in together:
        names = {f.column: label((f.question, f.indicator, f.category)) for f in base.figures}
        labelled = replace(design, data=design.data.rename(names))
        found = mean(labelled.subset(base.answered), list(names.values()), level=level)
        for name, count in zip(found.labels, found.table["n"].to_list(), strict=True):
            n[name] = count
            estimates[name] = found
    return _National(n, estimates)


def pairs(study: MultiStudy) -> list[tuple[str, str]]:
    """(population, versus) compared: each population other than the reference against the
    reference, then against each other such population, in study.yaml order."""
    codes = [p.code for p in study.populations]
    others = [c for c in codes if c != REFERENCE]
    ordered = [(a, REFERENCE) for a in others if REFERENCE in codes]
    return ordered + [(a, b) for a in others for b in others if a != b]


def comparisons(
    study: MultiStudy, figures: pl.DataFrame, national: dict[str, _National]
) -> pl.DataFrame:
    """Each population's national figure minus another's, as independent samples (the engine's
    `independent_differences`: the variances add), flagged significant at the study's level.
    The base `n` of a comparison is the smaller of the two, so small bases are flagged as
    everywhere else."""
    nationwide = {
        (row["population"], label((row["question"], row["indicator"], row["category"]))): row
        for row in figures.filter(
            (pl.col("territory") == NATIONAL)
            & pl.col("profile").is_null()
            & pl.col("indicator").is_in([i.value for i in ESTIMATED])
        ).iter_rows(named=True)
    }
    rows = []
    for a, b in pairs(study):
        if a not in national or b not in national:
            continue
        shared = [name for name in national[a].estimates if name in national[b].estimates]
        calls: dict[tuple[int, int], list[str]] = {}
        for name in shared:  # one engine call per pair of bases
            key = (id(national[b].estimates[name]), id(national[a].estimates[name]))
            calls.setdefault(key, []).append(name)
        for names in calls.values():
            samples = {b: national[b].estimates[names[0]], a: national[a].estimates[names[0]]}
            differences = independent_differences(
                samples, reference=b, labels=names, level=study.confidence
            )
            for difference in differences.table.iter_rows(named=True):
                name = difference["label"]
                row = nationwide[(a, name)]
                significant = difference["p_value"] < 1 - study.confidence
                rows.append(
                    {
                        **row,
                        "indicator": versus_population(row["indicator"]),
                        "versus": b,
                        "estimate": difference["estimate"],
                        "se": difference["se"],
                        "ci_low": difference["ci_low"],
                        "ci_high": difference["ci_high"],
                        "n": min(national[a].n[name], national[b].n[name]),
                        "weighted_n": None,
                        "flag": Flag.SIGNIFICANT.value if significant else None,
                    }
                )
    if not rows:
        return figures.clear()
    return pl.DataFrame(rows, schema=figures.schema | {"versus": pl.String, "flag": pl.String})


def _in_questionnaire_order(study: MultiStudy, figures: pl.DataFrame) -> pl.DataFrame:
    """`_order` as the shared questions are declared, whichever population a figure is from."""
    rank = {q.code: i for i, q in enumerate(study.questions)}
    question = pl.col("question").str.split(".").list.first()
    within = pl.col("_order") - (pl.col("_order") // (1 << 40)) * (1 << 40)
    shared = question.replace_strict(rank, return_dtype=pl.Int64, default=len(rank))
    return figures.with_columns(_order=shared * (1 << 40) + within)
