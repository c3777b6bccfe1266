"""A study described by study.yaml, as typed objects, with the checks the schema cannot make.

The schema checks shapes; `load_study` then checks meaning: vocabularies exist, groups and bands
refer to real codes, margins name profile variables and add up to the population total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from observatoire import vocabularies
from observatoire.studies.spec.problems import Problem, StudyInvalid
from observatoire.studies.spec.schema import schema_problems

STUDY_FILE = "study.yaml"
MARGIN_TOLERANCE = 0.005  # a margin may differ from the population total by 0.5 % (rounding)


@dataclass(frozen=True)
class Term:
    code: str
    label: str


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min: float
    max: float


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    short_label: str
    type: str
    column: str
    items: tuple[Term, ...] = ()
    codes: tuple[Term, ...] = ()
    groups: tuple[Group, ...] = ()
    scale: tuple[int, int] | None = None
    bands: tuple[Band, ...] = ()
    dont_know: frozenset[str] = frozenset()
    waves: tuple[str, ...] | None = None
    profile: bool = False

    @property
    def columns(self) -> list[str]:
        """Data columns: one per item for grids and multiple choice, else the question's own."""
        if self.items:
            return [self.item_column(item.code) for item in self.items]
        return [self.column]

    def item_column(self, item: str) -> str:
        return f"{self.column}_{item}"

    def asked_in(self, wave: str) -> bool:
        return self.waves is None or wave in self.waves

    def code_label(self, code: str) -> str:
        return next((t.label for t in self.codes if t.code == code), code)

    def allowed(self) -> str:
        """What a cell of this question may hold, as a reader-facing phrase."""
        dk = f", or don't know {', '.join(sorted(self.dont_know))}" if self.dont_know else ""
        if self.type == "scale" and self.scale:
            return f"whole numbers {self.scale[0]} to {self.scale[1]}{dk}"
        if self.type == "single":
            return f"one of {', '.join(t.code for t in self.codes)}{dk}"
        if self.type == "multiple":
            return "0 or 1"
        if self.type == "numeric":
            return f"a number{dk}"
        return "any text"


@dataclass(frozen=True)
class Wave:
    id: str
    year: int
    file: str
    sample_size: int
    fieldwork: tuple[str, str] | None = None
    seed: int | None = None


@dataclass(frozen=True)
class Margin:
    variable: str
    source: str
    targets: dict[str, float]


@dataclass(frozen=True)
class Study:
    folder: Path
    code: str
    title: str
    producer: str
    universe: str
    synthetic: bool
    synthetic_notice: str
    respondent_id: str
    waves: tuple[Wave, ...]
    strata: str
    territory: str
    design_description: str
    per_stratum: int | None
    population_total: float
    population_source: str
    margins: tuple[Margin, ...]
    questions: tuple[Question, ...]
    banner: tuple[str, ...]
    min_base: int = 30
    suppress_below: int = 10
    confidence: float = 0.95
    population: str = "citoyens"  # the actor type surveyed (results' `population` column)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(f"no question {code!r} in study {self.code!r}")

    def profile_question(self, column: str) -> Question:
        for q in self.questions:
            if q.profile and q.column == column:
                return q
        raise KeyError(f"no profile variable {column!r} in study {self.code!r}")

    @property
    def profiles(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.profile)

    @property
    def content_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if not q.profile)

    def published_questions(self, wave: str) -> tuple[Question, ...]:
        """The questions of a wave that give figures (asked in it, not profiles, not open)."""
        return tuple(q for q in self.content_questions if q.asked_in(wave) and q.type != "open")

    def wave_path(self, wave: Wave) -> Path:
        return self.folder / wave.file

    @property
    def chronology(self) -> tuple[Wave, ...]:
        """The waves, oldest first."""
        return tuple(sorted(self.waves, key=lambda w: w.year))

    @property
    def latest(self) -> Wave:
        return max(self.waves, key=lambda w: w.year)

    def previous(self, wave: Wave) -> Wave | None:
        earlier = [w for w in self.waves if w.year < wave.year]
        return max(earlier, key=lambda w: w.year) if earlier else None


def load_study(folder: Path | str) -> Study:
    """Read DIR/study.yaml; raise StudyInvalid listing every problem of the description."""
    folder = Path(folder)
    path = folder / STUDY_FILE
    file = str(path)
    if not path.is_file():
        raise StudyInvalid([Problem(file, "study.yaml not found: a study folder must contain it")])
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise StudyInvalid([Problem(file, f"not valid YAML: {exc}", row=row)]) from None
    problems = schema_problems(document, file)
    if problems:
        raise StudyInvalid(problems)
    questions, problems = _questions(document["questions"], file)
    study = _study(folder, document, questions)
    problems += _meaning_problems(study, file)
    if problems:
        raise StudyInvalid(problems)
    return study


def _terms(spec: Any, file: str, where: str, problems: list[Problem]) -> tuple[Term, ...]:
    if spec is None:
        return ()
    if isinstance(spec, dict):
        try:
            vocab = vocabularies.get(spec["vocabulary"])
        except KeyError as exc:
            problems.append(Problem(file, str(exc.args[0]), field=where))
            return ()
        return tuple(Term(t.code, t.fr) for t in vocab.terms)
    return tuple(Term(str(t["code"]), t["label"]) for t in spec)


def _questions(specs: list[dict[str, Any]], file: str) -> tuple[list[Question], list[Problem]]:
    problems: list[Problem] = []
    questions = []
    for i, spec in enumerate(specs):
        where = f"questions.{i}"
        scale = spec.get("scale")
        questions.append(
            Question(
                code=spec["code"],
                label=spec["label"],
                short_label=spec.get("short_label", spec["label"]),
                type=spec["type"],
                column=spec["column"],
                items=_terms(spec.get("items"), file, f"{where}.items", problems),
                codes=_terms(spec.get("codes"), file, f"{where}.codes", problems),
                groups=tuple(
                    Group(g["code"], g["label"], tuple(map(str, g["codes"])))
                    for g in spec.get("groups", [])
                ),
                scale=(scale["min"], scale["max"]) if scale else None,
                bands=tuple(
                    Band(b["code"], b["label"], b["min"], b["max"]) for b in spec.get("bands", [])
                ),
                dont_know=frozenset(str(v) for v in spec.get("dont_know", [])),
                waves=tuple(spec["waves"]) if "waves" in spec else None,
                profile=spec.get("profile", False),
            )
        )
    return questions, problems


def _study(folder: Path, doc: dict[str, Any], questions: list[Question]) -> Study:
    weighting = doc["weighting"]
    reporting = doc.get("reporting", {})
    design = doc["design"]
    return Study(
        folder=folder,
        code=doc["study"],
        title=doc["title"],
        producer=doc.get("producer", ""),
        universe=doc["universe"],
        synthetic=doc.get("synthetic", False),
        synthetic_notice=doc.get("synthetic_notice", ""),
        respondent_id=doc["respondent_id"],
        waves=tuple(
            Wave(
                id=w["id"],
                year=w["year"],
                file=w["file"],
                sample_size=w["sample_size"],
                fieldwork=(w["fieldwork"]["start"], w["fieldwork"]["end"])
                if "fieldwork" in w
                else None,
                seed=w.get("seed"),
            )
            for w in doc["waves"]
        ),
        strata=design["strata"],
        territory=design["territory"],
        design_description=design.get("description", ""),
        per_stratum=design.get("per_stratum"),
        population_total=float(weighting["population_total"]),
        population_source=weighting.get("population_source", ""),
        margins=tuple(
            Margin(m["variable"], m["source"], {str(k): float(v) for k, v in m["targets"].items()})
            for m in weighting["margins"]
        ),
        questions=tuple(questions),
        banner=tuple(doc["banner"]),
        min_base=reporting.get("min_base", 30),
        suppress_below=reporting.get("suppress_below", 10),
        confidence=reporting.get("confidence", 0.95),
        population=str(doc.get("population", "citoyens")),
        raw=doc,
    )


def _meaning_problems(study: Study, file: str) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    seen_codes: set[str] = set()
    seen_columns: set[str] = {study.respondent_id}
    wave_ids = {w.id for w in study.waves}
    if len(wave_ids) != len(study.waves):
        add(Problem(file, "two waves share the same id", field="waves"))
    for i, q in enumerate(study.questions):
        where = f"questions.{i}"
        if q.code in seen_codes:
            add(Problem(file, f"question code {q.code!r} is used twice", field=f"{where}.code"))
        seen_codes.add(q.code)
        for column in q.columns:
            if column in seen_columns:
                add(Problem(file, f"data column {column!r} is used twice", field=where))
            seen_columns.add(column)
        for w in q.waves or ():
            if w not in wave_ids:
                add(
                    Problem(
                        file,
                        f"unknown wave {w!r} (waves: {', '.join(sorted(wave_ids))})",
                        field=f"{where}.waves",
                    )
                )
        problems += _question_problems(q, file, where)
    profiles = {q.column: q for q in study.profiles}
    for name, column in (("design.strata", study.strata), ("design.territory", study.territory)):
        if column not in profiles:
            add(
                Problem(
                    file,
                    f"{column!r} is not a profile question (profiles: {', '.join(profiles)})",
                    field=name,
                )
            )
    if study.population not in vocabularies.ACTOR_TYPES:
        add(
            Problem(
                file,
                f"population {study.population!r} is not an actor type "
                f"(allowed: {', '.join(vocabularies.ACTOR_TYPES.codes)})",
                field="population",
            )
        )
    for i, column in enumerate(study.banner):
        if column not in profiles:
            add(
                Problem(
                    file,
                    f"banner variable {column!r} is not a profile question "
                    f"(profiles: {', '.join(profiles)})",
                    field=f"banner.{i}",
                )
            )
    for i, margin in enumerate(study.margins):
        where = f"weighting.margins.{i}"
        if margin.variable not in profiles:
            add(
                Problem(
                    file,
                    f"margin variable {margin.variable!r} is not a profile question",
                    field=f"{where}.variable",
                )
            )
            continue
        codes = [t.code for t in profiles[margin.variable].codes]
        unknown = sorted(set(margin.targets) - set(codes))
        missing = [c for c in codes if c not in margin.targets]
        if unknown or missing:
            add(
                Problem(
                    file,
                    f"targets must name every code of {margin.variable!r} once "
                    f"(unknown: {', '.join(unknown) or 'none'}; missing: "
                    f"{', '.join(missing) or 'none'}; allowed: {', '.join(codes)})",
                    field=f"{where}.targets",
                )
            )
        total = sum(margin.targets.values())
        if abs(total - study.population_total) > MARGIN_TOLERANCE * study.population_total:
            add(
                Problem(
                    file,
                    f"targets add up to {total:,.0f}, not to the population total "
                    f"{study.population_total:,.0f}",
                    field=f"{where}.targets",
                )
            )
    return problems


def _question_problems(q: Question, file: str, where: str) -> list[Problem]:
    problems = []
    needs = {"single": "codes", "multiple": "items", "scale": "scale"}
    if q.type in needs and not getattr(q, needs[q.type]):
        problems.append(Problem(file, f"a {q.type} question needs {needs[q.type]}", field=where))
    codes = {t.code for t in q.codes}
    for g in q.groups:
        if unknown := sorted(set(g.codes) - codes):
            problems.append(
                Problem(
                    file,
                    f"group {g.code!r} names unknown codes "
                    f"{', '.join(unknown)} (allowed: {', '.join(sorted(codes))})",
                    field=f"{where}.groups",
                )
            )
    if q.bands and q.scale:
        lo, hi = q.scale
        for b in q.bands:
            if b.min < lo or b.max > hi or b.min > b.max:
                problems.append(
                    Problem(
                        file,
                        f"band {b.code!r} ({b.min}–{b.max}) is outside the scale {lo}–{hi}",
                        field=f"{where}.bands",
                    )
                )
    if q.profile and q.type != "single":
        problems.append(Problem(file, "a profile question must be single choice", field=where))
    return problems
