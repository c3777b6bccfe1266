"""Checking a study's data files against study.yaml: every problem at once, each located.

A study of several populations is checked population by population (`validate_populations`).

Rows are numbered as data rows (1 = the first respondent, the line after the header). A clean
wave comes back typed for computing: scales and 0/1 options as integers, codes as text, "don't
know" codes as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from observatoire.studies.spec.model import Question, Study, Wave, load_study
from observatoire.studies.spec.populations import (
    MultiStudy,
    Population,
    external_study,
    load_multi_study,
    population_study,
)
from observatoire.studies.spec.problems import Problem, StudyInvalid

MAX_ROWS_PER_COLUMN = 10  # beyond this, one summary line per column keeps the report readable


def validate_study(folder: Path | str) -> tuple[Study, dict[str, pl.DataFrame]]:
    """Load and check a study folder; return the study and its typed waves, or raise."""
    study = load_study(folder)
    problems: list[Problem] = []
    waves = {}
    for wave in study.waves:
        frame, wave_problems = check_wave(study, wave)
        problems += wave_problems
        if frame is not None:
            waves[wave.id] = frame
    if problems:
        raise StudyInvalid(problems)
    return study, waves


def check_wave(study: Study, wave: Wave) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Problems of one wave's data file, and the typed frame when there are none."""
    path = study.wave_path(wave)
    file = str(path)
    if not path.is_file():
        hint = " (run `observatoire study generate-demo` first)" if study.synthetic else ""
        return None, [Problem(file, f"data file of wave {wave.id} not found{hint}")]
    try:
        raw = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        return None, [Problem(file, f"not a readable CSV file: {exc}")]
    raw = raw.with_row_index("_row", offset=1)
    questions = [q for q in study.questions if q.asked_in(wave.id)]
    expected = [study.respondent_id, *(c for q in questions for c in q.columns)]
    missing = [c for c in expected if c not in raw.columns]
    problems = [
        Problem(file, f"missing column (expected by {_owner(study, c)})", column=c) for c in missing
    ]
    if raw.height != wave.sample_size:
        problems.append(
            Problem(file, f"{raw.height} respondents, but study.yaml declares sample_size "
                    f"{wave.sample_size} for wave {wave.id}")
        )  # fmt: skip
    if study.respondent_id in raw.columns:
        problems += _duplicates(raw, study.respondent_id, file)
    typed: dict[str, pl.Expr] = {}
    for q in questions:
        for column in q.columns:
            if column in raw.columns:
                expr, bad = _cell_rule(q, column)
                problems += _located(raw, bad, column, q, file)
                typed[column] = expr.alias(column)
    if not problems:
        problems += _empty_margins(study, raw, file)
    if problems:
        return None, problems
    return raw.select(pl.col(study.respondent_id), *typed.values()), []


def _owner(study: Study, column: str) -> str:
    if column == study.respondent_id:
        return "respondent_id"
    q = next(q for q in study.questions if column in q.columns)
    return f"question {q.code}"


def _duplicates(raw: pl.DataFrame, id_column: str, file: str) -> list[Problem]:
    ids = pl.col(id_column)
    dup = raw.filter(ids.is_duplicated() & ids.is_not_null())
    problems = [
        Problem(file, f"duplicate respondent id {value!r} (ids must be unique)", row=row,
                column=id_column)
        for row, value in dup.select("_row", id_column).head(MAX_ROWS_PER_COLUMN).iter_rows()
    ]  # fmt: skip
    empty = raw.filter(ids.is_null())
    problems += [
        Problem(file, "empty respondent id", row=row, column=id_column)
        for row in empty["_row"].head(MAX_ROWS_PER_COLUMN)
    ]
    return problems


def _cell_rule(q: Question, column: str) -> tuple[pl.Expr, pl.Expr]:
    """(typed value, is-invalid) expressions for one column of question q."""
    text = pl.col(column).str.strip_chars()
    is_dk = text.is_in(sorted(q.dont_know)) if q.dont_know else pl.lit(False)
    empty = text.is_null() | (text == "")
    missing_ok = pl.lit(not q.profile)
    if q.type == "scale" and q.scale is not None:
        number = text.cast(pl.Int64, strict=False)
        ok = number.is_between(q.scale[0], q.scale[1])
        value = pl.when(ok).then(number).otherwise(None)
    elif q.type == "single":
        ok = text.is_in([t.code for t in q.codes])
        value = pl.when(ok).then(text).otherwise(None)
    elif q.type == "multiple":
        ok = text.is_in(["0", "1"])
        value = pl.when(ok).then(text.cast(pl.Int64, strict=False)).otherwise(None)
    elif q.type == "numeric":
        number = text.cast(pl.Float64, strict=False)
        ok = number.is_not_null()
        value = pl.when(ok).then(number).otherwise(None)
    else:
        return text, pl.lit(False)
    bad = ~(ok | is_dk | (empty & missing_ok))
    return value, bad


def _located(raw: pl.DataFrame, bad: pl.Expr, column: str, q: Question, file: str) -> list[Problem]:
    rows = raw.filter(bad).select("_row", column)
    problems = [
        Problem(file, f"{'empty value' if value is None else f'value {value!r}'} is not allowed "
                f"for question {q.code} (allowed: {q.allowed()})", row=row, column=column)
        for row, value in rows.head(MAX_ROWS_PER_COLUMN).iter_rows()
    ]  # fmt: skip
    if rows.height > MAX_ROWS_PER_COLUMN:
        problems.append(
            Problem(file, f"… and {rows.height - MAX_ROWS_PER_COLUMN} more rows with values "
                    f"not allowed for question {q.code}", column=column)
        )  # fmt: skip
    return problems


def _empty_margins(study: Study, raw: pl.DataFrame, file: str) -> list[Problem]:
    """A weighting category without respondents cannot be reached by raking."""
    problems = []
    for margin in study.margins:
        present = set(raw[margin.variable].str.strip_chars().unique().to_list())
        for code in margin.targets:
            if code not in present:
                problems.append(
                    Problem(file, f"no respondent in category {code!r}: the weighting target "
                            f"for it cannot be reached", column=margin.variable)
                )  # fmt: skip
    return problems


@dataclass(frozen=True)
class PopulationWave:
    """One population of a multi-population study, checked: the single-wave study it is read
    as (profiles and shared questions), its wave and its typed data."""

    population: Population
    study: Study
    wave: Wave
    frame: pl.DataFrame


def validate_populations(
    folder: Path | str,
) -> tuple[MultiStudy, dict[str, PopulationWave]]:
    """Load and check a study of several populations: each population's data as a single
    study's wave is checked, plus its strata against its universe; every problem at once."""
    multi = load_multi_study(folder)
    problems: list[Problem] = []
    checked = {}
    for population in multi.populations:
        try:
            if population.external:
                study, wave = external_study(multi, population)
                _, waves = validate_study(study.folder)
                frame = waves[wave.id]
            else:
                study = population_study(multi, population)
                assert population.wave is not None
                wave = population.wave
                typed, found = check_wave(study, wave)
                problems += found
                if typed is None:
                    continue
                problems += _strata_problems(population, typed, str(study.wave_path(wave)))
                frame = typed
        except StudyInvalid as invalid:
            problems += invalid.problems
            continue
        checked[population.code] = PopulationWave(population, study, wave, frame)
    if problems:
        raise StudyInvalid(problems)
    return multi, checked


def _strata_problems(population: Population, frame: pl.DataFrame, file: str) -> list[Problem]:
    """Every stratum sampled must be in the universe, with no more respondents than units."""
    assert population.universe is not None
    sizes = population.universe.stratum_sizes(population.strata)
    counts = frame.group_by(list(population.strata)).len() if population.strata else None
    drawn = (
        {tuple(row[:-1]): row[-1] for row in counts.iter_rows()}
        if counts is not None
        else {(): frame.height}
    )
    where = " × ".join(population.strata) or "population"
    problems = []
    for key, n in sorted(drawn.items()):
        size = sizes.get(key)
        if size is None:
            problems.append(
                Problem(file, f"{n} respondent(s) in {where} {'/'.join(key)}, a stratum "
                        f"the universe {population.universe.code!r} does not have")
            )  # fmt: skip
        elif n > size:
            problems.append(
                Problem(file, f"{n} respondents in {where} {'/'.join(key) or 'all'}, more than "
                        f"the {size:,.0f} units of the universe")
            )  # fmt: skip
    return problems
