"""Pages of the diagnostic: start, one page per module, the result (and its PDF), re-run, forget,
and the counts. Thin: the work is in `records`, `scoring`, `peers`, `recommendations`.

A diagnostic is reached only through its personal link; its pages are never cached, never
indexed and send their address to no other site, so the link does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.platform.diagnostic import aggregates, answers, questionnaire, records
from observatoire.platform.diagnostic.models import Diagnostic
from observatoire.platform.diagnostic.presentation import result_context
from observatoire.platform.diagnostic.questionnaire import Module, Question


def _language() -> str:
    return get_language() or "fr"


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of one diagnostic: found by its link's key, kept out of caches, indexes, referrers."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, key: str, *args: Any, **kwargs: Any) -> HttpResponse:
        diagnostic = records.find(key)
        if diagnostic is None:
            response = render(request, "diagnostic/unknown.html", status=404)
        else:
            records.touch(diagnostic)
            response = view(request, diagnostic, key, *args, **kwargs)
        # same-origin: the link never leaves in a Referer, yet forms keep their Origin (CSRF)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def landing(request: HttpRequest) -> HttpResponse:
    """What the diagnostic is, how long it takes, what is kept; choose your profile to start."""
    qn = questionnaire.get()
    language = _language()
    wished = request.GET.get("objectif", "")
    minutes = max(qn.estimated_seconds(t) for t in qn.actor_types) / 60
    floors = [
        (qn.floor_of(code), code, vocabularies.OBJECTIVES[code].label(language))
        for code in qn.objectives
    ]
    return render(
        request,
        "diagnostic/landing.html",
        {
            "qn": qn,
            "title": qn.title.get(language),
            "intro": qn.intro.get(language) if qn.intro else "",
            "actor_types": [
                (c.code, c.label.get(language)) for c in qn.question("TYPE_ACTEUR").choices
            ],
            "floors": floors,
            "minutes": round(minutes + 0.49),
            "wished": wished if wished in vocabularies.OBJECTIVES else "",
            "language": language,
        },
    )


@require_POST
def begin(request: HttpRequest) -> HttpResponse:
    qn = questionnaire.get()
    wished = request.POST.get("objectif", "")
    initial: dict[str, Any] = {}
    if wished in vocabularies.OBJECTIVES:
        initial[qn.rules.wish_question] = [wished]
    try:
        diagnostic, key = records.start(request.POST.get("actor_type", ""), initial=initial)
    except InputError:
        messages.error(request, _("Choisissez le profil sous lequel vous répondez."))
        return redirect("diagnostic:landing")
    first = qn.modules_for(diagnostic.actor_type)[0]
    return redirect("diagnostic:page", key=key, module=first.code)


def _raw(request: HttpRequest, module: Module, actor_type: str) -> dict[str, Any]:
    """The posted answers of a page, as plain data (lists for multiple questions)."""
    raw: dict[str, Any] = {}
    for q in module.questions_for(actor_type):
        for key in q.answer_codes:
            raw[key] = request.POST.getlist(key) if q.kind == "multiple" else request.POST.get(key)
    return raw


@private
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, diagnostic: Diagnostic, key: str, module: str) -> HttpResponse:
    qn = records.questionnaire_of(diagnostic)
    modules = qn.modules_for(diagnostic.actor_type)
    current = next((m for m in modules if m.code == module), None)
    if current is None:
        raise Http404(_("Cette page ne fait pas partie de votre questionnaire."))
    index = modules.index(current)
    values: dict[str, Any] = {**diagnostic.answers}
    values["TYPE_ACTEUR"] = diagnostic.actor_type
    values["COMMUNE"] = diagnostic.commune
    problems: list[answers.Problem] = []
    if request.method == "POST":
        raw = _raw(request, current, diagnostic.actor_type)
        outcome = records.save_page(diagnostic, current, raw)
        action = request.POST.get("action", "next")
        if outcome.actor_type_changed:
            messages.info(request, _("Les questions ont été adaptées à votre nouveau profil."))
            return redirect("diagnostic:page", key=key, module=current.code)
        if action == "previous" and index > 0:
            return redirect("diagnostic:page", key=key, module=modules[index - 1].code)
        if not outcome.problems:
            if index + 1 < len(modules):
                return redirect("diagnostic:page", key=key, module=modules[index + 1].code)
            return _finish(request, diagnostic, key)
        problems = outcome.problems
        values.update({k: v for k, v in raw.items()})
    elif request.GET.get("verifier"):
        problems = records.missing(diagnostic).get(current.code, [])
    return render(
        request,
        "diagnostic/page.html",
        _page_context(diagnostic, key, current, modules, values, problems),
        status=422 if request.method == "POST" and problems else 200,
    )


def _finish(request: HttpRequest, diagnostic: Diagnostic, key: str) -> HttpResponse:
    gaps = records.missing(diagnostic)
    if gaps:
        first = next(iter(gaps))
        messages.error(
            request, _("Il manque encore des réponses : elles sont signalées ci-dessous.")
        )
        url = reverse("diagnostic:page", kwargs={"key": key, "module": first})
        return redirect(f"{url}?verifier=1")
    records.complete(diagnostic)
    return redirect("diagnostic:result", key=key)


def _page_context(
    diagnostic: Diagnostic,
    key: str,
    current: Module,
    modules: tuple[Module, ...],
    values: dict[str, Any],
    problems: list[answers.Problem],
) -> dict[str, Any]:
    language = _language()
    errors = {p.field: p.message for p in problems}
    questions = [
        _question_view(q, values, errors, language)
        for q in current.questions_for(diagnostic.actor_type)
    ]
    index = modules.index(current)
    return {
        "key": key,
        "module": current,
        "module_title": current.title.get(language),
        "module_intro": current.intro.get(language) if current.intro else "",
        "questions": questions,
        "problems": [
            (p.field.replace(".", "-"), _field_label(questions, p.field), p.message)
            for p in problems
        ],
        "steps": [(m.code, m.title.get(language)) for m in modules],
        "step": index + 1,
        "step_count": len(modules),
        "is_first": index == 0,
        "is_last": index + 1 == len(modules),
        "completed": diagnostic.completed_on is not None,
    }


def _field_label(questions: list[dict[str, Any]], field: str) -> str:
    for q in questions:
        for entry in q["entries"]:
            if entry["key"] == field:
                return str(entry["label"] or q["label"])
    return field


def _question_view(
    q: Question, values: dict[str, Any], errors: dict[str, str], language: str
) -> dict[str, Any]:
    """What the template needs to draw one question: its fields (one per grid item)."""
    entries = []
    for key, item in q.entries:
        value = values.get(key)
        chosen = set(value) if isinstance(value, list) else {str(value)} if value else set()
        entries.append(
            {
                "key": key,
                "id": key.replace(".", "-"),
                "label": item.label.get(language) if item else "",
                "value": "" if value is None or isinstance(value, list) else value,
                "chosen": chosen,
                "error": errors.get(key, ""),
            }
        )
    return {
        "code": q.code,
        "kind": q.kind,
        "label": q.label.get(language),
        "help": q.help.get(language) if q.help else "",
        "required": q.required,
        "choices": [(c.code, c.label.get(language)) for c in q.choices],
        "entries": entries,
        "min": q.min,
        "max": q.max,
        "unit": q.unit.get(language) if q.unit else "",
        "max_choices": q.max_choices,
        "commune_name": _commune_name(values.get("COMMUNE")) if q.kind == "commune" else "",
    }


def _commune_name(code: Any) -> str:
    try:
        return answers.clean_commune(code).name if code else ""
    except InputError:
        return ""


@private
def result(request: HttpRequest, diagnostic: Diagnostic, key: str) -> HttpResponse:
    if diagnostic.completed_on is None or records.missing(diagnostic):
        return _finish_later(request, diagnostic, key)
    context = result_context(request, diagnostic, key, _language())
    return render(request, "diagnostic/result.html", context)


def _finish_later(request: HttpRequest, diagnostic: Diagnostic, key: str) -> HttpResponse:
    qn = records.questionnaire_of(diagnostic)
    gaps = records.missing(diagnostic)
    module = next(iter(gaps)) if gaps else qn.modules_for(diagnostic.actor_type)[-1].code
    url = reverse("diagnostic:page", kwargs={"key": key, "module": module})
    return redirect(f"{url}?verifier=1" if gaps else url)


@private
def result_pdf(request: HttpRequest, diagnostic: Diagnostic, key: str) -> HttpResponse:
    if diagnostic.completed_on is None or records.missing(diagnostic):
        return _finish_later(request, diagnostic, key)
    from django.template.loader import render_to_string
    from weasyprint import HTML

    context = result_context(request, diagnostic, key, _language())
    html = render_to_string("diagnostic/result_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="diagnostic-faire-alliance.pdf"'
    return response


@private
@require_POST
def rerun(request: HttpRequest, diagnostic: Diagnostic, key: str) -> HttpResponse:
    """A new diagnostic, pre-filled, whose result will be compared with this one."""
    _new, new_key = records.rerun(diagnostic)
    messages.info(
        request,
        _(
            "Voici un nouveau diagnostic, pré-rempli avec vos réponses : modifiez ce qui a changé. "
            "Son lien est nouveau ; l'ancien reste valable."
        ),
    )
    qn = questionnaire.get()
    first = qn.modules_for(diagnostic.actor_type)[0]
    return redirect("diagnostic:page", key=new_key, module=first.code)


@private
@require_http_methods(["GET", "POST"])
def forget(request: HttpRequest, diagnostic: Diagnostic, key: str) -> HttpResponse:
    if request.method == "POST":
        records.forget(diagnostic)
        messages.success(request, _("Vos réponses ont été effacées."))
        return redirect("diagnostic:landing")
    return render(request, "diagnostic/forget.html", {"key": key})


def statistics(request: HttpRequest) -> HttpResponse:
    """Completed diagnostics by actor type and door, and by region; small cells hidden."""
    language = _language()
    total = aggregates.total()
    shown = total >= aggregates.MIN_CELL
    by_type = aggregates.table("actor_type", "door") if shown else []
    counts = {cell.key: cell.count for cell in by_type}
    qn = questionnaire.get()
    rows = [
        (
            vocabularies.ACTOR_TYPES[t].label(language),
            [counts.get((t, door), 0) for door in qn.objectives],
        )
        for t in qn.actor_types
    ]
    regions = aggregates.table("region") if shown else []
    return render(
        request,
        "diagnostic/statistics.html",
        {
            "total": total if shown else None,
            "min_cell": aggregates.MIN_CELL,
            "doors": [vocabularies.OBJECTIVES[d].label(language) for d in qn.objectives],
            "rows": rows,
            "regions": [(_region_name(c.key[0]), c.count) for c in regions],
        },
    )


def _region_name(code: str) -> str:
    return territory.study_region_name(code) if code else _("Hors régions d'étude")
