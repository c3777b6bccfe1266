"""Public pages of the directory: search, structure, « la bonne porte », coverage map, exports.

Thin views over `directory`, `orientation`, `gaps` and `exports`; every page works without
JavaScript (forms submit with GET, so each state is a shareable URL).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import svgmap
from observatoire.platform.support import (
    directory,
    exports,
    gaps,
    orientation,
    rules,
    workflow,
    zones,
)
from observatoire.platform.support.models import Structure


def _language() -> str:
    return get_language() or "fr"


def _int(query: QueryDict, name: str, default: int) -> int:
    try:
        return int(query.get(name, default))
    except ValueError:
        return -1  # out of bounds: validation names the parameter


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def _choices(vocabulary: vocabularies.Vocabulary) -> list[tuple[str, str]]:
    return vocabulary.choices(_language())


def directory_list(request: HttpRequest) -> HttpResponse:
    query = request.GET
    result, error = None, ""
    try:
        result = directory.search(
            directory.clean_filters(
                q=query.get("q", ""),
                territory=zones.from_visitor(query.get("territory", "")),
                page=_int(query, "page", 1),
                selected={f.name: query.getlist(f.name) for f in directory.FACETS},
            )
        )
    except InputError as exc:
        error = str(exc)
    facet_titles = {
        "need": vocabularies.SUPPORT_FORMS,
        "actor_type": vocabularies.ACTOR_TYPES,
        "structure_type": vocabularies.SUPPORT_STRUCTURE_TYPES,
        "stage": vocabularies.INNOVATION_STAGES,
        "objective": vocabularies.OBJECTIVES,
    }
    context: dict[str, Any] = {
        "result": result,
        "error": error,
        "facet_groups": [
            (name, facet_titles[name].label(_language()), counts)
            for name, counts in (result.facets.items() if result else [])
        ],
    }
    if result is not None:
        page = result.filters.page
        context["previous_url"] = _page_url(request, page - 1) if page > 1 else ""
        context["next_url"] = _page_url(request, page + 1) if page < result.pages else ""
    return render(request, "support/list.html", context, status=400 if error else 200)


def structure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    structure = get_object_or_404(Structure.objects.prefetch_related("services"), slug=slug)
    user = request.user
    if not workflow.can_view(user, structure):
        raise Http404("no such structure")  # a private structure answers like a missing one
    curating = workflow.is_curator(user) or workflow.can_edit(user, structure)
    services = [
        {"service": s, "zones": [(z, zones.label(z)) for z in s.zones]}
        for s in structure.services.all()
    ]
    return render(
        request,
        "support/detail.html",
        {
            "structure": structure,
            "services": services,
            "commune": zones.label(structure.commune) if structure.commune else "",
            "transitions": workflow.allowed(user, structure),
            "history": structure.history.select_related("actor")[:20] if curating else [],
        },
    )


@login_required
@require_POST
def structure_transition(request: HttpRequest, slug: str) -> HttpResponse:
    structure = get_object_or_404(Structure, slug=slug)
    if not workflow.can_view(request.user, structure):
        raise Http404("no such structure")
    try:
        workflow.apply(structure, request.POST.get("action", ""), request.user)
    except (InputError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, gettext("Structure : %(state)s.") % {"state": structure.get_state_display()}
        )
    return redirect(structure)


def orientation_page(request: HttpRequest) -> HttpResponse:
    query = request.GET
    result, errors, funding = None, {}, []
    asked = "actor_type" in query or "commune" in query
    if asked:
        try:
            cleaned = orientation.clean_query(
                actor_type=query.get("actor_type", ""),
                commune=zones.from_visitor(query.get("commune", ""), kinds=("commune",)),
                needs=query.getlist("need"),
                stage=query.get("stage", ""),
                employment=query.get("employment", ""),
                size=query.get("size", ""),
                objective=query.get("objective", ""),
            )
            result = orientation.orient(cleaned)
            funding = orientation.funding(cleaned)
            gaps.record(result)
        except orientation.InvalidQuery as exc:
            errors = exc.errors
    context = {
        "result": result,
        "funding": funding,
        "errors": errors,
        "asked": asked,
        "rules": rules.rules(),
        "applied": {r.code for r in result.rules_applied} if result else set(),
        "actor_types": _choices(vocabularies.ACTOR_TYPES),
        "employments": _choices(vocabularies.ASSOCIATION_EMPLOYMENT),
        "sizes": _choices(vocabularies.ORGANISATION_SIZES),
        "stages": _choices(vocabularies.INNOVATION_STAGES),
        "objectives": _choices(vocabularies.OBJECTIVES),
        "needs": [(code, str(text)) for code, text in orientation.NEED_PHRASES.items()],
        "chosen_needs": query.getlist("need"),
    }
    return render(request, "support/orientation.html", context, status=400 if errors else 200)


def coverage_map(request: HttpRequest) -> HttpResponse:
    query = request.GET
    actor_type = query.get("actor_type", "")
    need = query.get("need", "")
    error = ""
    if actor_type and actor_type not in vocabularies.ACTOR_TYPES:
        error, actor_type = f"field 'actor_type': unknown code {actor_type!r}", ""
    if need and need not in vocabularies.SUPPORT_FORMS:
        error, need = f"field 'need': unknown code {need!r}", ""
    states = {c.department.code: c for c in gaps.coverage(actor_type=actor_type, need=need)}
    shapes, view_box = svgmap.shapes("department")
    labels = {
        gaps.COVERED: gettext("couvert"),
        gaps.PARTIAL: gettext("en partie"),
        gaps.NONE: gettext("zone blanche"),
    }
    items = [
        {"shape": s, "coverage": states[s.code], "label": labels[states[s.code].state]}
        for s in shapes
        if s.code in states
    ]
    counted = Counter(c.state for c in states.values())
    totals = {
        "covered": counted[gaps.COVERED],
        "partial": counted[gaps.PARTIAL],
        "none": counted[gaps.NONE],
    }
    return render(
        request,
        "support/map.html",
        {
            "items": items,
            "view_box": view_box,
            "totals": totals,
            "error": error,
            "actor_type": actor_type,
            "need": need,
            "actor_types": _choices(vocabularies.ACTOR_TYPES),
            "need_choices": _choices(vocabularies.SUPPORT_FORMS),
            "gap_total": sum(c.gaps for c in states.values()),
        },
        status=400 if error else 200,
    )


def export(request: HttpRequest, name: str) -> HttpResponse:
    base_url = request.build_absolute_uri("/")
    if name == "annuaire.json":
        content, kind = exports.to_json(base_url=base_url), "application/json"
    elif name in ("structures.csv", "services.csv"):
        content = exports.to_csv(name.removesuffix(".csv"), base_url=base_url)
        kind = "text/csv"
    else:
        raise Http404("no such export")
    response = HttpResponse(content, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
