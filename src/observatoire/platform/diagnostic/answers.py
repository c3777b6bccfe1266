"""Validation of a diagnostic's answers, the one way in for the web pages and the API.

Raw answers are plain data: `{question_code: choice_code | [choice_codes] | number}`, grid items
as `CODE.item`; the web form's strings are read the same way. Every problem is collected and
named by the answer it concerns, so a page can show each one beside its question and keep the
rest; messages follow the active language (the API asks for English).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from observatoire import territory
from observatoire.errors import InputError
from observatoire.platform.diagnostic.questionnaire import Question, Questionnaire
from observatoire.platform.diagnostic.scoring import Answer
from observatoire.territory.names import fold

MAX_TEXT = 100  # longest commune name or code a visitor may type


@dataclass(frozen=True)
class Problem:
    field: str  # the answer's key (question code, CODE.item), "actor_type" or "commune"
    message: str


class AnswersInvalid(InputError):
    """One or more bad answers; `problems` names each one."""

    def __init__(self, problems: list[Problem], clean: dict[str, Answer] | None = None) -> None:
        self.problems = problems
        self.clean = clean or {}  # the good answers among the bad ones
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

    def __str__(self) -> str:
        return self.message


def required() -> str:
    return _("réponse obligatoire")


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InputError(_("une chaîne de caractères est attendue"), field=name)
    if "\x00" in value:
        raise InputError(_("caractère nul refusé"), field=name)
    if len(value) > MAX_TEXT:
        raise InputError(_("%(n)d caractères au plus") % {"n": MAX_TEXT}, field=name)
    return value.strip()


def clean_actor_type(qn: Questionnaire, value: Any) -> str:
    code = _text(value, "actor_type")
    if code not in qn.actor_types:
        allowed = ", ".join(qn.actor_types)
        raise InputError(
            _("type d'acteur inconnu %(code)s (possibles : %(allowed)s)")
            % {"code": _shown(code), "allowed": allowed},
            field="actor_type",
        )
    return code


def clean_commune(value: Any, *, by_name: bool = False) -> territory.Territory:
    """A commune by INSEE code (a former code gives its successor); by name too for visitors,
    who know their commune's name rather than its code."""
    text = _text(value, "commune")
    if not text:
        raise InputError(_("indiquez une commune"), field="commune")
    code = territory.resolve(text)
    try:
        return territory.get(code, "commune")
    except InputError:
        pass
    if by_name and any(ch.isalpha() for ch in text):
        found = territory.search(text, kinds={"commune"}, limit=6)
        exact = [t for t in found if fold(t.name) == fold(text)]
        if len(exact) == 1 or len(found) == 1:
            return exact[0] if exact else found[0]
        if found:
            options = ", ".join(f"{t.name} ({t.code}, {_department(t)})" for t in exact or found)
            raise InputError(
                _("plusieurs communes répondent à %(text)s : indiquez son code INSEE (%(options)s)")
                % {"text": _shown(text), "options": options},
                field="commune",
            )
    raise InputError(_("commune inconnue %(code)s") % {"code": _shown(text)}, field="commune")


def _department(t: territory.Territory) -> str:
    return territory.get(t.department, "department").name if t.department else ""


def clean(
    qn: Questionnaire,
    actor_type: str,
    raw: Mapping[str, Any],
    *,
    questions: Iterable[Question] | None = None,
    complete: bool = True,
) -> dict[str, Answer]:
    """The answers to `questions` (all the actor type's by default), checked and normalised.

    Unknown keys and bad values are problems; so are missing required answers when `complete`.
    Raises AnswersInvalid listing every problem, with the good answers in `.clean`.
    """
    scope = tuple(questions) if questions is not None else qn.answer_questions(actor_type)
    known = {key: q for q in scope for key in q.answer_codes}
    asked = {key for q in qn.answer_questions(actor_type) for key in q.answer_codes}
    problems: list[Problem] = []
    for key in raw:
        if key in known:
            continue
        if key in asked:
            continue  # another page's answer: not checked here
        if _is_question(qn, key):
            problems.append(Problem(str(key)[:60], _("question non posée à ce type d'acteur")))
        else:
            problems.append(
                Problem(str(key)[:60], _("question inconnue %(code)s") % {"code": _shown(key)})
            )
    clean: dict[str, Answer] = {}
    for key, q in known.items():
        value = raw.get(key)
        if _empty(value):
            if complete and q.required:
                problems.append(Problem(key, required()))
            elif q.kind == "multiple" and key in raw:
                clean[key] = []
            continue
        try:
            clean[key] = _value(q, key, value)
        except InputError as exc:
            problems.append(Problem(key, exc.message))
    if problems:
        raise AnswersInvalid(problems, clean)
    return clean


def _is_question(qn: Questionnaire, key: Any) -> bool:
    code = str(key).split(".", 1)[0]
    try:
        qn.question(code)
    except KeyError:
        return False
    return True


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _value(q: Question, key: str, value: Any) -> Answer:
    if q.kind in ("single", "grid"):
        return _choice(q, _text(value, key))
    if q.kind == "multiple":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise InputError(_("une liste de codes est attendue"))
        codes = list(dict.fromkeys(_choice(q, _text(v, key)) for v in items))
        if q.max_choices is not None and len(codes) > q.max_choices:
            raise InputError(_("%(n)d choix au plus") % {"n": q.max_choices})
        return codes
    if q.kind == "number":
        return _number(q, value)
    raise InputError(_("question sans réponse possible ici"))  # profile kinds are not answers


def _choice(q: Question, code: str) -> str:
    if q.choice(code) is None:
        allowed = ", ".join(c.code for c in q.choices)
        raise InputError(
            _("réponse inconnue %(code)s (possibles : %(allowed)s)")
            % {"code": _shown(code), "allowed": allowed}
        )
    return code


def _number(q: Question, value: Any) -> int:
    if isinstance(value, bool):
        raise InputError(_("un nombre entier est attendu"))
    if isinstance(value, str):
        text = value.strip()
        if "\x00" in text or not text.lstrip("-").isdigit() or len(text) > 6:
            raise InputError(
                _("un nombre entier est attendu, pas %(value)s") % {"value": _shown(text)}
            )
        value = int(text)
    if not isinstance(value, int):
        raise InputError(_("un nombre entier est attendu"))
    if q.min is not None and q.max is not None and not q.min <= value <= q.max:
        raise InputError(
            _("un nombre de %(min)d à %(max)d est attendu") % {"min": q.min, "max": q.max}
        )
    return value
