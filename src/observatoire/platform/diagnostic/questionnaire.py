"""The diagnostic's questionnaire: a versioned YAML file, checked and read into typed objects.

The JSON Schema (content/questionnaire.schema.json) checks shapes; `load` then checks meaning:
codes of the shared vocabularies, subtopics of the four objectives, references of the scoring
rules, and that every actor type gets a score on every objective. Every problem is reported at
once, located by its field path. No Django here: the scoring can run anywhere.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from observatoire import vocabularies
from observatoire.errors import InputError, located

CONTENT = Path(__file__).with_name("content")
SCHEMA_PATH = CONTENT / "questionnaire.schema.json"
FILE_PATTERN = re.compile(r"^questionnaire-v(\d+)\.yaml$")
SCORED_KINDS = ("single", "multiple", "number")
REASON_KEYS = (
    "wish",
    "readiest",
    "next-floor",
    "no-wish",
    "top-floor",
    "already-started",
    "first-door",
    "unreachable",
    "limited-means",
    "strength",
    "to-work",
)
REASON_FIELDS = {
    "door",
    "door_floor",
    "floor",
    "score",
    "wish",
    "wish_floor",
    "subtopic",
    "subtopic_score",
}
# The parts of the profile that recommendations read: the kind of question and its codes.
PROFILE_PARTS = {
    "fragilities": ("multiple", "fragilities"),
    "needs": ("multiple", "support_forms"),
    "employment": ("single", "association_employment"),
    "size": ("single", "organisation_sizes"),
}
_WORD = re.compile(r"\w+")


class QuestionnaireInvalid(InputError):
    """A questionnaire file with one or more problems; the message lists every one."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{file}: the questionnaire is invalid ({len(problems)}):\n{lines}")

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Text:
    """A text in French, with its English translation when there is one."""

    fr: str
    en: str = ""

    def get(self, language: str = "fr") -> str:
        return self.en if language.startswith("en") and self.en else self.fr

    def __str__(self) -> str:
        return self.fr


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text
    points: int = 0
    subtopic: str | None = None  # where the points go (the question's subtopic by default)
    signals: tuple[str, ...] = ()
    wish: str | None = None  # an objective the respondent wishes to pursue
    stage: str | None = None  # an innovation stage


@dataclass(frozen=True)
class Item:
    code: str
    label: Text


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    points: int


@dataclass(frozen=True)
class SameAs:
    """A study question asked with the same wording and scale."""

    study: str
    question: str


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    label: Text
    module: str
    actor_types: tuple[str, ...]
    required: bool
    help: Text | None = None
    subtopic: str | None = None
    choices: tuple[Choice, ...] = ()
    items: tuple[Item, ...] = ()
    max_choices: int | None = None
    cap: int | None = None
    min: int | None = None
    max: int | None = None
    unit: Text | None = None
    bands: tuple[Band, ...] = ()
    same_as: tuple[SameAs, ...] = ()
    source: str = ""

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)

    @property
    def answer_codes(self) -> tuple[str, ...]:
        """The keys of this question's answers: its code, or `CODE.item` for each grid item."""
        return tuple(key for key, _item in self.entries)

    @property
    def entries(self) -> tuple[tuple[str, Item | None], ...]:
        """(answer key, grid item or None) of each answer this question takes."""
        if self.kind == "grid":
            return tuple((f"{self.code}.{i.code}", i) for i in self.items)
        return ((self.code, None),)

    def points_possible(self) -> dict[str, int]:
        """The most points this question can give, per subtopic."""
        if self.kind == "number":
            best = max((b.points for b in self.bands), default=0)
            return {self.subtopic: best} if self.subtopic and best else {}
        totals: dict[str, int] = {}
        for c in self.choices:
            target = c.subtopic or self.subtopic
            if target is None or not c.points:
                continue
            if self.kind == "single":
                totals[target] = max(totals.get(target, 0), c.points)
            else:
                totals[target] = totals.get(target, 0) + c.points
        if self.cap is not None:
            totals = {k: min(v, self.cap) for k, v in totals.items()}
        return totals

    @property
    def scored(self) -> bool:
        return bool(self.points_possible())


@dataclass(frozen=True)
class Module:
    code: str
    title: Text
    intro: Text | None
    actor_types: tuple[str, ...]
    questions: tuple[Question, ...]

    def questions_for(self, actor_type: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if actor_type in q.actor_types)


@dataclass(frozen=True)
class Subtopic:
    code: str
    label: Text
    objective: str


@dataclass(frozen=True)
class Guard:
    objective: str
    requires_signal: str
    reason: str


@dataclass(frozen=True)
class Rules:
    """The scoring rules of the file's `scoring` section (documented in docs/diagnostic.md)."""

    floor_threshold: float
    floor_requires_signal: str | None
    wish_question: str
    readiness_weight: float
    above_floor: int
    started_threshold: float
    limited_means_signal: str | None
    guards: tuple[Guard, ...]
    stage_question: str
    season_question: str
    season_years: int
    season_count: int
    reasons: Mapping[str, Text]


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: int
    published: str
    title: Text
    intro: Text | None
    actor_types: tuple[str, ...]
    modules: tuple[Module, ...]
    subtopics: tuple[Subtopic, ...]
    rules: Rules
    timing: Mapping[str, float]
    profile: Mapping[str, str]  # part of the profile -> question code (fragilities, needs…)
    file: str = ""

    @property
    def objectives(self) -> tuple[str, ...]:
        """The four objectives' codes, in the order of the floors (1 to 4)."""
        return vocabularies.OBJECTIVES.codes

    def floor_of(self, objective: str) -> int:
        return self.objectives.index(objective) + 1

    def questions(self) -> Iterator[Question]:
        for module in self.modules:
            yield from module.questions

    def question(self, code: str) -> Question:
        for q in self.questions():
            if q.code == code:
                return q
        raise KeyError(code)

    def subtopic(self, code: str) -> Subtopic:
        return next(s for s in self.subtopics if s.code == code)

    def modules_for(self, actor_type: str) -> tuple[Module, ...]:
        """The pages an actor type sees, in order (modules with at least one question for it)."""
        return tuple(m for m in self.modules if m.questions_for(actor_type))

    def questions_for(self, actor_type: str) -> tuple[Question, ...]:
        return tuple(q for m in self.modules for q in m.questions_for(actor_type))

    def answer_questions(self, actor_type: str) -> tuple[Question, ...]:
        """The questions answered in `answers` (the profile's actor type and commune aside)."""
        return tuple(
            q for q in self.questions_for(actor_type) if q.kind not in ("actor_type", "commune")
        )

    def estimated_seconds(self, actor_type: str) -> float:
        """Time to read every question an actor type sees and answer it (the `timing` rule)."""
        words = 0
        answers = 0
        for module in self.modules_for(actor_type):
            words += _words(module.title) + _words(module.intro)
            for q in module.questions_for(actor_type):
                words += _words(q.label) + _words(q.help)
                words += sum(_words(c.label) for c in _shown_choices(q))
                words += sum(_words(i.label) for i in q.items)
                answers += max(1, len(q.items))
        return words * 60 / self.timing["words_per_minute"] + answers * float(
            self.timing["seconds_per_answer"]
        )


def _words(text: Text | None) -> int:
    return len(_WORD.findall(text.fr)) if text else 0


def _shown_choices(q: Question) -> tuple[Choice, ...]:
    if q.kind == "actor_type":  # one label per actor type, read once
        return ()
    return q.choices


# --- Loading -----------------------------------------------------------------------------------


def versions() -> dict[int, Path]:
    """The questionnaire files shipped, by version."""
    found = {}
    for path in CONTENT.iterdir():
        match = FILE_PATTERN.match(path.name)
        if match:
            found[int(match.group(1))] = path
    return dict(sorted(found.items()))


@cache
def get(version: int | None = None) -> Questionnaire:
    """A shipped version (the latest by default), loaded once per process."""
    files = versions()
    if version is None:
        version = max(files)
    if version not in files:
        raise InputError(f"no questionnaire version {version} (shipped: {sorted(files)})")
    return load(files[version])


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def load(path: Path | str) -> Questionnaire:
    """Read and check a questionnaire file; raise QuestionnaireInvalid listing every problem."""
    path = Path(path)
    file = str(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionnaireInvalid(file, [f"cannot be read as YAML: {exc}"]) from None
    validator = Draft202012Validator(_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = [
        located(e.message, field=".".join(map(str, e.absolute_path)) or "(document)")
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        raise QuestionnaireInvalid(file, problems)
    builder = _Builder(document)
    questionnaire = builder.build(file)
    builder.problems += _meaning_problems(questionnaire, document)
    if builder.problems:
        raise QuestionnaireInvalid(file, builder.problems)
    return questionnaire


def _text(spec: Mapping[str, str] | None) -> Text | None:
    return Text(spec["fr"], spec.get("en", "")) if spec else None


class _Builder:
    """Turns the parsed document into objects, noting what it cannot resolve."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.problems: list[str] = []

    def build(self, file: str) -> Questionnaire:
        doc = self.doc
        subtopics = tuple(
            Subtopic(s["code"], Text(s["label"]["fr"], s["label"].get("en", "")), objective)
            for objective, spec in doc["scoring"]["objectives"].items()
            for s in spec["subtopics"]
        )
        everyone = tuple(doc["actor_types"])
        modules = tuple(
            self._module(spec, f"modules.{i}", everyone) for i, spec in enumerate(doc["modules"])
        )
        return Questionnaire(
            code=doc["questionnaire"],
            version=doc["version"],
            published=doc["published"],
            title=Text(doc["title"]["fr"], doc["title"].get("en", "")),
            intro=_text(doc.get("intro")),
            actor_types=everyone,
            modules=modules,
            subtopics=subtopics,
            rules=self._rules(doc["scoring"]),
            timing=doc["timing"],
            profile=doc["profile"],
            file=file,
        )

    def _module(self, spec: dict[str, Any], where: str, everyone: tuple[str, ...]) -> Module:
        audience = tuple(spec.get("actor_types", everyone))
        questions = tuple(
            self._question(q, f"{where}.questions.{i}", spec["code"], audience)
            for i, q in enumerate(spec["questions"])
        )
        return Module(
            spec["code"],
            _text(spec["title"]) or Text(""),
            _text(spec.get("intro")),
            audience,
            questions,
        )

    def _question(
        self, spec: dict[str, Any], where: str, module: str, audience: tuple[str, ...]
    ) -> Question:
        kind = spec["kind"]
        own = tuple(spec.get("actor_types", audience))
        outside = sorted(set(own) - set(audience))
        if outside:
            self.problems.append(
                located(f"actor types {outside} are not in the module's", field=where)
            )
        return Question(
            code=spec["code"],
            kind=kind,
            label=_text(spec["label"]) or Text(""),
            module=module,
            actor_types=own,
            required=spec.get("required", kind not in ("multiple", "grid")),
            help=_text(spec.get("help")),
            subtopic=spec.get("subtopic"),
            choices=self._choices(spec, where),
            items=tuple(Item(i["code"], Text(**i["label"])) for i in spec.get("items", ())),
            max_choices=spec.get("max_choices"),
            cap=spec.get("cap"),
            min=spec.get("min"),
            max=spec.get("max"),
            unit=_text(spec.get("unit")),
            bands=tuple(Band(b["min"], b["max"], b["points"]) for b in spec.get("bands", ())),
            same_as=tuple(SameAs(**ref) for ref in spec.get("same_as", ())),
            source=spec.get("source", ""),
        )

    def _choices(self, spec: dict[str, Any], where: str) -> tuple[Choice, ...]:
        if spec["kind"] == "actor_type":
            return tuple(
                Choice(t.code, Text(t.fr, t.en))
                for t in vocabularies.ACTOR_TYPES
                if t.code in self.doc["actor_types"]
            )
        raw = spec.get("choices")
        if raw is None:
            return ()
        if isinstance(raw, dict):
            name = raw["vocabulary"]
            vocabulary = vocabularies.BY_NAME.get(name)
            if vocabulary is None:
                self.problems.append(located(f"unknown vocabulary {name!r}", field=where))
                return ()
            return tuple(Choice(t.code, Text(t.fr, t.en)) for t in vocabulary)
        return tuple(
            Choice(
                code=c["code"],
                label=_text(c["label"]) or Text(""),
                points=c.get("points", 0),
                subtopic=c.get("subtopic"),
                signals=tuple(c.get("signals", ())),
                wish=c.get("wish"),
                stage=c.get("stage"),
            )
            for c in raw
        )

    def _rules(self, scoring: dict[str, Any]) -> Rules:
        floor, door = scoring["floor"], scoring["door"]
        return Rules(
            floor_threshold=float(floor["threshold"]),
            floor_requires_signal=floor.get("requires_signal"),
            wish_question=door["wish_question"],
            readiness_weight=float(door["readiness_weight"]),
            above_floor=int(door["above_floor"]),
            started_threshold=float(door["started_threshold"]),
            limited_means_signal=door.get("limited_means_signal"),
            guards=tuple(Guard(**g) for g in door.get("guards", ())),
            stage_question=scoring["innovation_stage"]["question"],
            season_question=scoring["season"]["question"],
            season_years=int(scoring["season"]["years"]),
            season_count=int(scoring["season"]["count"]),
            reasons={k: Text(v["fr"], v.get("en", "")) for k, v in scoring["reasons"].items()},
        )


# --- Meaning checks ------------------------------------------------------------------------------


def _meaning_problems(qn: Questionnaire, doc: dict[str, Any]) -> list[str]:
    problems: list[str] = []

    def add(message: str, where: str) -> None:
        problems.append(located(message, field=where))

    unknown = sorted(set(qn.actor_types) - set(vocabularies.ACTOR_TYPES.codes))
    if unknown:
        add(f"unknown actor types {unknown} (vocabulary actor_types)", "actor_types")
    objectives = list(doc["scoring"]["objectives"])
    if objectives != list(vocabularies.OBJECTIVES.codes):
        add(
            f"must be the four objectives in order: {list(vocabularies.OBJECTIVES.codes)}",
            "scoring.objectives",
        )
    subtopic_codes = [s.code for s in qn.subtopics]
    for code in {c for c in subtopic_codes if subtopic_codes.count(c) > 1}:
        add(f"subtopic {code!r} appears twice", "scoring.objectives")
    subtopics = set(subtopic_codes)

    module_codes = [m.code for m in qn.modules]
    for code in {c for c in module_codes if module_codes.count(c) > 1}:
        add(f"module {code!r} appears twice", "modules")
    seen: set[str] = set()
    signals: set[str] = set()
    profile_kinds: list[tuple[str, int]] = []
    for mi, module in enumerate(qn.modules):
        for qi, q in enumerate(module.questions):
            where = f"modules.{mi}.questions.{qi} ({q.code})"
            if q.code in seen:
                add(f"question {q.code!r} appears twice", where)
            seen.add(q.code)
            if q.kind in ("actor_type", "commune"):
                profile_kinds.append((q.kind, mi))
            problems += [located(m, field=where) for m in _question_problems(q, subtopics)]
            for c in q.choices:
                signals.update(c.signals)
            unknown = sorted(set(q.actor_types) - set(qn.actor_types))
            if unknown:
                add(f"unknown actor types {unknown}", where)
    for kind in ("actor_type", "commune"):
        found = [mi for k, mi in profile_kinds if k == kind]
        if found != [0]:
            add(f"exactly one {kind} question is needed, in the first module", "modules")

    problems += _rules_problems(qn, seen, signals)
    for part, (kind, vocabulary) in PROFILE_PARTS.items():
        code = qn.profile[part]
        where = f"profile.{part}"
        if code not in seen:
            add(f"unknown question {code!r}", where)
        elif (q := qn.question(code)).kind != kind or [c.code for c in q.choices] != list(
            vocabularies.get(vocabulary).codes
        ):
            add(f"question {code!r} must be {kind}, with the {vocabulary} codes", where)
    for ai, actor_type in enumerate(qn.actor_types):
        scored = {target for q in qn.questions_for(actor_type) for target in q.points_possible()}
        for objective in qn.objectives:
            if not any(s.objective == objective and s.code in scored for s in qn.subtopics):
                add(
                    f"no scored question for actor type {actor_type!r} in objective {objective!r}",
                    f"actor_types.{ai}",
                )
    return problems


def _question_problems(q: Question, subtopics: set[str]) -> list[str]:
    out: list[str] = []
    codes = [c.code for c in q.choices]
    if len(set(codes)) != len(codes):
        out.append("choice codes must be unique")
    if q.kind in ("single", "multiple", "grid") and not q.choices:
        out.append(f"a {q.kind} question needs choices")
    if (q.kind == "grid") != bool(q.items):
        out.append("items belong to grid questions, and a grid needs them")
    if q.subtopic is not None and q.subtopic not in subtopics:
        out.append(f"unknown subtopic {q.subtopic!r}")
    for c in q.choices:
        if c.subtopic is not None and c.subtopic not in subtopics:
            out.append(f"choice {c.code!r}: unknown subtopic {c.subtopic!r}")
        if c.points and (c.subtopic or q.subtopic) is None:
            out.append(f"choice {c.code!r} has points but no subtopic")
        if c.wish is not None and c.wish not in vocabularies.OBJECTIVES:
            out.append(f"choice {c.code!r}: wish {c.wish!r} is not an objective")
        if c.stage is not None and c.stage not in vocabularies.INNOVATION_STAGES:
            out.append(f"choice {c.code!r}: stage {c.stage!r} is not an innovation stage")
    if q.max_choices is not None and (q.kind != "multiple" or q.max_choices > len(q.choices)):
        out.append("max_choices applies to a multiple question, at most its number of choices")
    if q.kind == "number":
        if q.min is None or q.max is None or q.min > q.max:
            out.append("a number question needs min <= max")
        elif q.subtopic and not _bands_cover(q):
            out.append(f"bands must cover {q.min} to {q.max} once, in order")
    if q.scored and q.kind != "multiple" and not q.required:
        out.append("a scored question must be required (its score would depend on skipping it)")
    if q.kind == "multiple" and q.required:
        out.append("a multiple question is never required: ticking none is an answer")
    return out


def _bands_cover(q: Question) -> bool:
    expected = q.min
    for band in q.bands:
        if band.min != expected or band.max < band.min:
            return False
        expected = band.max + 1
    return expected == (q.max or 0) + 1


def _rules_problems(qn: Questionnaire, questions: set[str], signals: set[str]) -> list[str]:
    r = qn.rules
    out: list[str] = []

    def need(code: str, kind: str, where: str, test: Any = None) -> None:
        if code not in questions:
            out.append(located(f"unknown question {code!r}", field=where))
            return
        q = qn.question(code)
        if q.kind != kind or (test is not None and not test(q)):
            out.append(located(f"question {code!r} does not fit ({kind} expected)", field=where))

    need(
        r.wish_question,
        "multiple",
        "scoring.door.wish_question",
        lambda q: all(c.wish for c in q.choices),
    )
    need(
        r.stage_question,
        "single",
        "scoring.innovation_stage.question",
        lambda q: any(c.stage for c in q.choices),
    )
    need(r.season_question, "number", "scoring.season.question")
    for name, signal in (
        ("scoring.floor.requires_signal", r.floor_requires_signal),
        ("scoring.door.limited_means_signal", r.limited_means_signal),
        *((f"scoring.door.guards.{i}", g.requires_signal) for i, g in enumerate(r.guards)),
    ):
        if signal is not None and signal not in signals:
            out.append(located(f"no choice emits signal {signal!r}", field=name))
    for i, g in enumerate(r.guards):
        if g.objective not in vocabularies.OBJECTIVES:
            out.append(
                located(f"{g.objective!r} is not an objective", field=f"scoring.door.guards.{i}")
            )
        if g.reason not in r.reasons:
            out.append(located(f"no reason {g.reason!r}", field=f"scoring.door.guards.{i}"))
    for key in REASON_KEYS:
        if key not in r.reasons:
            out.append(located(f"reason {key!r} is missing", field="scoring.reasons"))
    formatter = string.Formatter()
    for key, text in r.reasons.items():
        for language, value in (("fr", text.fr), ("en", text.en)):
            names = {name for _, name, _, _ in formatter.parse(value) if name is not None}
            unknown = sorted(names - REASON_FIELDS)
            if unknown:
                out.append(
                    located(
                        f"unknown placeholders {unknown}", field=f"scoring.reasons.{key}.{language}"
                    )
                )
    return out
