"""Writes and state changes of a diagnostic: start, save a page, complete, re-run, forget, purge.

The personal link carries a random key (192 bits); only its SHA-256 is stored. A page's answers
are checked with `answers.clean`; the good ones are kept even when others on the page are wrong,
so that nothing already answered is ever lost.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from observatoire import territory
from observatoire.errors import InputError
from observatoire.platform.diagnostic import (
    aggregates,
    answers,
    questionnaire,
    recommendations,
    report,
    scoring,
)
from observatoire.platform.diagnostic.models import Diagnostic
from observatoire.platform.diagnostic.questionnaire import Module, Questionnaire
from observatoire.platform.support import gaps

KEY_LENGTH = 32  # characters of token_urlsafe(24)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


def find(key: str) -> Diagnostic | None:
    if len(key) != KEY_LENGTH:
        return None
    return Diagnostic.objects.filter(key_hash=_hash(key)).first()


def touch(diagnostic: Diagnostic) -> None:
    """Note today as the day the link was last opened (the retention purge counts from it)."""
    today = timezone.localdate()
    if diagnostic.last_active_on != today:
        Diagnostic.objects.filter(pk=diagnostic.pk).update(last_active_on=today)
        diagnostic.last_active_on = today


def questionnaire_of(diagnostic: Diagnostic) -> Questionnaire:
    return questionnaire.get(diagnostic.version)


def start(
    actor_type: str,
    *,
    initial: Mapping[str, Any] | None = None,
    commune: str = "",
    previous: Diagnostic | None = None,
) -> tuple[Diagnostic, str]:
    """A new diagnostic on the latest questionnaire, and the key of its personal link."""
    qn = questionnaire.get()
    actor_type = answers.clean_actor_type(qn, actor_type)
    key = secrets.token_urlsafe(24)
    diagnostic = Diagnostic.objects.create(
        key_hash=_hash(key),
        version=qn.version,
        actor_type=actor_type,
        commune=commune,
        answers=dict(initial or {}),
        previous=previous,
    )
    return diagnostic, key


@dataclass
class PageOutcome:
    problems: list[answers.Problem]
    actor_type_changed: bool = False


def save_page(diagnostic: Diagnostic, module: Module, raw: Mapping[str, Any]) -> PageOutcome:
    """Check and store one page's answers; the good ones are kept whatever the bad ones."""
    qn = questionnaire_of(diagnostic)
    problems: list[answers.Problem] = []
    changed = False
    kinds = {q.kind: q for q in module.questions}
    if "actor_type" in kinds:
        try:
            actor_type = answers.clean_actor_type(qn, raw.get(kinds["actor_type"].code, ""))
        except InputError as exc:
            problems.append(answers.Problem(kinds["actor_type"].code, exc.message))
        else:
            changed = actor_type != diagnostic.actor_type
            diagnostic.actor_type = actor_type
    if "commune" in kinds:
        code = kinds["commune"].code
        try:
            diagnostic.commune = answers.clean_commune(raw.get(code, ""), by_name=True).code
        except InputError as exc:
            problems.append(answers.Problem(code, exc.message))
    shown = module.questions_for(diagnostic.actor_type) if not changed else ()
    scope = [q for q in shown if q.kind not in ("actor_type", "commune")]
    keys = {key for q in scope for key in q.answer_codes}
    posted = {key: raw.get(key) for key in keys}
    try:
        clean = answers.clean(qn, diagnostic.actor_type, posted, questions=scope)
    except answers.AnswersInvalid as exc:
        problems += exc.problems
        clean = exc.clean
        wrong = {p.field for p in exc.problems}
        keys -= wrong  # a wrong answer leaves the stored one as it was
    stored = {k: v for k, v in diagnostic.answers.items() if k not in keys}
    stored.update(clean)
    if changed:
        asked = {key for q in qn.answer_questions(diagnostic.actor_type) for key in q.answer_codes}
        stored = {k: v for k, v in stored.items() if k in asked}
    diagnostic.answers = stored
    diagnostic.save()
    return PageOutcome(problems, changed)


def missing(diagnostic: Diagnostic) -> dict[str, list[answers.Problem]]:
    """What still stops the result, by module code (the first one is where to send the visitor)."""
    qn = questionnaire_of(diagnostic)
    out: dict[str, list[answers.Problem]] = {}
    for module in qn.modules_for(diagnostic.actor_type):
        problems = []
        for q in module.questions_for(diagnostic.actor_type):
            if q.kind == "commune" and not diagnostic.commune:
                problems.append(answers.Problem(q.code, answers.required()))
        scope = [
            q
            for q in module.questions_for(diagnostic.actor_type)
            if q.kind not in ("actor_type", "commune")
        ]
        try:
            answers.clean(qn, diagnostic.actor_type, _subset(diagnostic, scope), questions=scope)
        except answers.AnswersInvalid as exc:
            problems += exc.problems
        if problems:
            out[module.code] = problems
    return out


def _subset(diagnostic: Diagnostic, scope: list[questionnaire.Question]) -> dict[str, Any]:
    keys = {key for q in scope for key in q.answer_codes}
    return {k: v for k, v in diagnostic.answers.items() if k in keys}


def result(diagnostic: Diagnostic) -> scoring.Result:
    """The result of a diagnostic whose answers are complete (see `missing`)."""
    qn = questionnaire_of(diagnostic)
    clean = answers.clean(qn, diagnostic.actor_type, diagnostic.answers)
    return scoring.score(qn, diagnostic.actor_type, clean)


@transaction.atomic
def complete(diagnostic: Diagnostic) -> scoring.Result:
    """Compute the result, keep its figures with the answers, and count it once: by actor type,
    door and region, and, when no local structure meets the need, as a gap of the directory."""
    outcome = result(diagnostic)
    diagnostic.result = outcome.as_data()
    if diagnostic.completed_on is None:
        diagnostic.completed_on = timezone.localdate()
    if not diagnostic.counted:
        commune = territory.get(diagnostic.commune, "commune")
        aggregates.count(diagnostic.actor_type, outcome.door, commune.study_region or "")
        qn = questionnaire_of(diagnostic)
        clean = answers.clean(qn, diagnostic.actor_type, diagnostic.answers)
        profile = report.profile_of(qn, diagnostic.actor_type, commune, clean, outcome)
        gaps.record(recommendations.orientation(profile))  # counted if no local door: a gap
        diagnostic.counted = True
    diagnostic.save()
    return outcome


def rerun(diagnostic: Diagnostic) -> tuple[Diagnostic, str]:
    """A new diagnostic pre-filled with these answers, to be compared with this one."""
    qn = questionnaire.get()
    asked = {key for q in qn.answer_questions(diagnostic.actor_type) for key in q.answer_codes}
    kept = {k: v for k, v in diagnostic.answers.items() if k in asked}
    return start(
        diagnostic.actor_type, initial=kept, commune=diagnostic.commune, previous=diagnostic
    )


def forget(diagnostic: Diagnostic) -> None:
    """Erase the answers for good (the counts, which hold no answers, stay)."""
    diagnostic.delete()


def purge(older_than_days: int, *, dry_run: bool = False) -> int:
    """Erase the diagnostics nobody opened for `older_than_days`; how many there were."""
    limit = timezone.localdate() - datetime.timedelta(days=older_than_days)
    stale = Diagnostic.objects.filter(last_active_on__lt=limit)
    count = stale.count()
    if not dry_run:
        stale.delete()
    return count
