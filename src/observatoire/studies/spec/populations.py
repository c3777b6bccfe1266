"""A study of several populations (study.yaml with `populations`), as typed objects.

Each population is its own survey: its universe (strata sizes, weighting targets, sources), its
sample and design (strata, allocation, finite-population correction), its profile questions and
the shared questions it was asked. Shared questions are declared once for the whole study, with
one wording and one scale. A population may also be read from another study folder (the
citizens, from IMPACT-Citoyens), keeping that study's own design and weighting.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from observatoire import vocabularies
from observatoire.studies.spec.model import (
    STUDY_FILE,
    Margin,
    Question,
    Study,
    Wave,
    _questions,
    load_study,
)
from observatoire.studies.spec.problems import Problem, StudyInvalid, read_mapping
from observatoire.studies.spec.published import PublishedFigures, load_published
from observatoire.studies.spec.schema import schema_problems
from observatoire.studies.spec.universes import Universe, load_universe


@dataclass(frozen=True)
class Allocation:
    """Sample size per code of one stratification variable, shared out among its strata in
    proportion to their sizes (at least 2 per stratum, all units of a smaller stratum)."""

    variable: str
    sizes: dict[str, int]


@dataclass(frozen=True)
class Population:
    code: str  # an actor_types code
    label: str
    questions: tuple[str, ...]  # the shared questions asked
    study: Path | None = None  # read from this study folder...
    source_wave: str | None = None  # ...and this wave of it
    universe: Universe | None = None
    wave: Wave | None = None  # the study's wave, with this population's data file and sample
    strata: tuple[str, ...] = ()
    allocation: Allocation | None = None
    design_description: str = ""
    weighting: str = "none"
    margins: tuple[str, ...] = ()
    banner: tuple[str, ...] = ()
    territory: str | None = None
    profiles: tuple[Question, ...] = ()

    @property
    def external(self) -> bool:
        """Read from another study rather than from data files of this one."""
        return self.study is not None

    def profile(self, column: str) -> Question:
        for q in self.profiles:
            if q.column == column:
                return q
        raise KeyError(f"no profile variable {column!r} in population {self.code!r}")


@dataclass(frozen=True)
class MultiStudy:
    folder: Path
    code: str
    title: str
    producer: str
    universe: str
    synthetic: bool
    synthetic_notice: str
    respondent_id: str
    wave: Wave  # the one reading the populations are compared in (no data file of its own)
    questions: tuple[Question, ...]
    populations: tuple[Population, ...]
    published: PublishedFigures | None
    min_base: int = 30
    suppress_below: int = 10
    confidence: float = 0.95

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(f"no shared question {code!r} in study {self.code!r}")

    def population(self, code: str) -> Population:
        for p in self.populations:
            if p.code == code:
                return p
        raise KeyError(f"no population {code!r} in study {self.code!r}")

    def data_path(self, population: Population) -> Path:
        assert population.wave is not None
        return self.folder / population.wave.file


def is_multi_population(folder: Path | str) -> bool:
    """Does DIR/study.yaml declare populations (rather than one population's waves)?"""
    path = Path(folder) / STUDY_FILE
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(doc, dict) and "populations" in doc


def load_multi_study(folder: Path | str) -> MultiStudy:
    """Read a multi-population DIR/study.yaml; StudyInvalid lists every problem found."""
    folder = Path(folder)
    file = str(folder / STUDY_FILE)
    doc = read_mapping(folder / STUDY_FILE, "study.yaml")
    problems = schema_problems(doc, file, populations=True)
    if problems:
        raise StudyInvalid(problems)
    wave = Wave(id=str(doc["wave"]["id"]), year=int(doc["wave"]["year"]), file="", sample_size=0)
    shared, found = _questions(doc["questions"], file)
    problems += found
    populations = []
    for i, spec in enumerate(doc["populations"]):
        try:
            populations.append(_population(folder, spec, wave, file, f"populations.{i}", problems))
        except StudyInvalid as exc:
            problems += exc.problems
    published = None
    if doc.get("published"):
        try:
            published = load_published(folder / doc["published"])
        except StudyInvalid as exc:
            problems += exc.problems
    reporting = doc.get("reporting", {})
    study = MultiStudy(
        folder=folder,
        code=doc["study"],
        title=doc["title"],
        producer=doc.get("producer", ""),
        universe=doc["universe"],
        synthetic=bool(doc.get("synthetic", False)),
        synthetic_notice=doc.get("synthetic_notice", ""),
        respondent_id=doc["respondent_id"],
        wave=wave,
        questions=tuple(shared),
        populations=tuple(populations),
        published=published,
        min_base=reporting.get("min_base", 30),
        suppress_below=reporting.get("suppress_below", 10),
        confidence=reporting.get("confidence", 0.95),
    )
    problems += _meaning_problems(study, file)
    if problems:
        raise StudyInvalid(problems)
    return study


def _population(
    folder: Path, spec: dict[str, Any], wave: Wave, file: str, where: str, problems: list[Problem]
) -> Population:
    code = str(spec.get("code"))
    label = spec.get("label") or (
        vocabularies.ACTOR_TYPES[code].fr if code in vocabularies.ACTOR_TYPES else code
    )
    asked = tuple(spec.get("questions", ()))
    if "study" in spec:
        return Population(
            code=code,
            label=label,
            questions=asked,
            study=(folder / spec["study"]).resolve(),
            source_wave=str(spec.get("wave", "")) or None,
        )
    profiles, found = _questions(spec.get("profiles") or [], file)
    problems += [Problem(p.file, p.message, field=f"{where}.{p.field}") for p in found]
    data = spec["data"]
    fieldwork = data.get("fieldwork")
    design = spec.get("design") or {}
    weighting = spec.get("weighting") or {}
    allocation = design.get("allocation")
    universe = load_universe(folder / spec["universe"]) if spec.get("universe") else None
    return Population(
        code=code,
        label=label,
        questions=asked,
        universe=universe,
        wave=Wave(
            id=wave.id,
            year=wave.year,
            file=str(data["file"]),
            sample_size=int(data["sample_size"]),
            fieldwork=(fieldwork["start"], fieldwork["end"]) if fieldwork else None,
            seed=data.get("seed"),
        ),
        strata=tuple(design.get("strata") or ()),
        allocation=Allocation(
            str(allocation["variable"]), {str(k): int(v) for k, v in allocation["sizes"].items()}
        )
        if allocation
        else None,
        design_description=str(design.get("description", "")).strip(),
        weighting=str(weighting.get("method", "none")),
        margins=tuple(weighting.get("margins") or ()),
        banner=tuple(spec.get("banner") or ()),
        territory=spec.get("territory"),
        profiles=tuple(replace(q, profile=True) for q in profiles),
    )


def _meaning_problems(study: MultiStudy, file: str) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    shared = {q.code for q in study.questions}
    seen: set[str] = set()
    for i, p in enumerate(study.populations):
        where = f"populations.{i}"
        if p.code not in vocabularies.ACTOR_TYPES:
            add(
                Problem(
                    file,
                    f"population code {p.code!r} is not an actor type "
                    f"(allowed: {', '.join(vocabularies.ACTOR_TYPES.codes)})",
                    field=f"{where}.code",
                )
            )
        if p.code in seen:
            add(Problem(file, f"population {p.code!r} is declared twice", field=f"{where}.code"))
        seen.add(p.code)
        if unknown := [q for q in p.questions if q not in shared]:
            add(
                Problem(
                    file,
                    f"unknown shared question {', '.join(unknown)} "
                    f"(declared: {', '.join(sorted(shared))})",
                    field=f"{where}.questions",
                )
            )
        if p.external:
            continue
        problems += _design_problems(p, file, where)
    return problems


def _design_problems(p: Population, file: str, where: str) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    assert p.wave is not None
    if p.universe is None:
        add(Problem(file, "a population with its own data needs a universe", field=where))
        return problems
    profiles = {q.column for q in p.profiles}
    dims = set(p.universe.dimensions)
    for name, columns in (
        ("design.strata", p.strata),
        ("weighting.margins", p.margins),
        ("banner", p.banner),
        ("territory", (p.territory,) if p.territory else ()),
    ):
        for column in columns:
            if column not in profiles:
                add(
                    Problem(
                        file,
                        f"{column!r} is not a profile question of {p.code!r} "
                        f"(profiles: {', '.join(sorted(profiles)) or 'none'})",
                        field=f"{where}.{name}",
                    )
                )
    for name, columns in (("design.strata", p.strata), ("weighting.margins", p.margins)):
        for column in columns:
            if column not in dims:
                add(
                    Problem(
                        file,
                        f"{column!r} is not a dimension of the universe {p.universe.code!r} "
                        f"(dimensions: {', '.join(p.universe.dimensions) or 'none'})",
                        field=f"{where}.{name}",
                    )
                )
    if p.allocation is not None:
        a = p.allocation
        if a.variable not in p.strata:
            add(
                Problem(
                    file,
                    f"allocation variable {a.variable!r} is not a stratification variable",
                    field=f"{where}.design.allocation",
                )
            )
        elif a.variable in dims:
            codes = set(p.universe.margin(a.variable))
            if set(a.sizes) != codes:
                add(
                    Problem(
                        file,
                        f"allocation must give a sample size for every code of {a.variable!r} "
                        f"({', '.join(sorted(codes))})",
                        field=f"{where}.design.allocation.sizes",
                    )
                )
        if sum(a.sizes.values()) != p.wave.sample_size:
            add(
                Problem(
                    file,
                    f"allocation adds up to {sum(a.sizes.values())}, not to the sample size "
                    f"{p.wave.sample_size}",
                    field=f"{where}.design.allocation",
                )
            )
    return problems


def population_study(study: MultiStudy, population: Population) -> Study:
    """A surveyed population as a study of one wave (its profiles and the shared questions it
    was asked), so that its data file is checked and read as a single study's wave is."""
    assert population.universe is not None and population.wave is not None
    universe = population.universe
    return Study(
        folder=study.folder,
        code=study.code,
        title=f"{study.title} — {population.label}",
        producer=study.producer,
        universe=f"{universe.label} : {universe.scope}",
        synthetic=study.synthetic,
        synthetic_notice=study.synthetic_notice,
        respondent_id=study.respondent_id,
        waves=(population.wave,),
        strata="",  # several variables: Population.strata, used by the population's own design
        territory=population.territory or "",
        design_description=population.design_description,
        per_stratum=None,
        population_total=universe.total,
        population_source=universe.source,
        margins=tuple(Margin(v, universe.source, universe.margin(v)) for v in population.margins),
        questions=(*population.profiles, *(study.question(c) for c in population.questions)),
        banner=population.banner,
        min_base=study.min_base,
        suppress_below=study.suppress_below,
        confidence=study.confidence,
        population=population.code,
    )


def external_study(study: MultiStudy, population: Population) -> tuple[Study, Wave]:
    """The study a population is read from, narrowed to its profiles and the shared questions,
    and the wave read; StudyInvalid if the wave is missing or a shared question differs."""
    assert population.study is not None
    source = load_study(population.study)
    file = str(population.study / STUDY_FILE)
    problems = []
    wave = next((w for w in source.waves if w.id == population.source_wave), None)
    if wave is None:
        problems.append(
            Problem(
                file,
                f"no wave {population.source_wave!r} (waves: "
                f"{', '.join(w.id for w in source.waves)}) for population {population.code!r}",
                field="waves",
            )
        )
    asked = []
    for code in population.questions:
        shared = study.question(code)
        try:
            own = source.question(code)
        except KeyError:
            problems.append(Problem(file, f"no question {code!r}, shared by {study.code!r}"))
            continue
        if _wording(own) != _wording(shared):
            problems.append(
                Problem(
                    file,
                    f"question {code} differs from the one {study.code!r} shares (wording, "
                    "type, column, codes, items or groups): a shared question has one wording "
                    "and one scale",
                    field="questions",
                )
            )
        asked.append(own)
    if problems:
        raise StudyInvalid(problems)
    assert wave is not None
    return replace(source, questions=(*source.profiles, *asked)), wave


def _wording(q: Question) -> tuple[Any, ...]:
    return (q.label, q.type, q.column, q.codes, q.items, q.groups, q.scale, q.bands)
