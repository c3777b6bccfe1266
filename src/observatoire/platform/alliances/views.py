"""Public pages (search list, map, fiche, exports) and contributor pages (propose, edit, curate)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import (
    exports,
    places,
    records,
    rendering,
    similar,
    svgmap,
    workflow,
)
from observatoire.platform.alliances.forms import FicheForm
from observatoire.platform.alliances.models import Alliance, Partner, State
from observatoire.platform.alliances.search import facets
from observatoire.platform.alliances.search.faceted import SearchParams, SearchResult, run
from observatoire.platform.alliances.validation import clean_fiche

PER_PAGE = 20


def params_from(query: QueryDict, per_page: int = PER_PAGE) -> SearchParams:
    """Search parameters from a query string; the URL is the whole state, so it can be shared."""
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    return SearchParams(
        q=query.get("q", "").strip()[:200],
        filters={f.name: query.getlist(f.name) for f in facets.FACETS if query.getlist(f.name)},
        territory=places.from_visitor(query.get("territory", "")),
        page=page,
        per_page=per_page,
    )


def _language() -> str:
    return get_language() or "fr"


def _search(request: HttpRequest, per_page: int = PER_PAGE) -> tuple[SearchResult | None, str]:
    try:
        return run(params_from(request.GET, per_page), _language()), ""
    except InputError as exc:
        return None, str(exc)


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def alliance_list(request: HttpRequest) -> HttpResponse:
    result, error = _search(request)
    context: dict[str, Any] = {
        "result": result,
        "error": error,
        "facet_groups": [
            (f.name, f.title(_language()), result.facets[f.name]) for f in facets.FACETS
        ]
        if result
        else [],
        "query": request.GET.urlencode(),
        "territory_name": places.name(places.from_visitor(request.GET["territory"]))
        if request.GET.get("territory") and not error
        else "",
    }
    if result is not None:
        page = result.params.page
        context["previous_url"] = _page_url(request, page - 1) if page > 1 else ""
        context["next_url"] = _page_url(request, page + 1) if page < result.pages else ""
    return render(request, "alliances/list.html", context, status=400 if error else 200)


def alliance_map(request: HttpRequest) -> HttpResponse:
    level = "department" if request.GET.get("level") == "department" else "region"
    result, error = _search(request, per_page=1)
    counts = {fc.code: fc.count for fc in result.facets[level]} if result else {}
    shapes, view_box = svgmap.shapes(level)
    highest = max(counts.values(), default=0)
    query = request.GET.copy()
    query.pop("level", None)
    query.pop("page", None)
    query.pop(level, None)
    base_query = query.urlencode()
    items = [
        {
            "shape": shape,
            "count": counts.get(shape.code, 0),
            "shade": svgmap.shade(counts.get(shape.code, 0), highest),
            "url": reverse("alliances:list")
            + "?"
            + (base_query + "&" if base_query else "")
            + f"{level}={shape.code}",
        }
        for shape in shapes
    ]
    other = request.GET.copy()
    other["level"] = "region" if level == "department" else "department"
    return render(
        request,
        "alliances/map.html",
        {
            "result": result,
            "error": error,
            "level": level,
            "items": items,
            "view_box": view_box,
            "other_level_url": "?" + other.urlencode(),
            "list_url": reverse("alliances:list") + ("?" + base_query if base_query else ""),
        },
        status=400 if error else 200,
    )


def _visible(request: HttpRequest, slug: str) -> Alliance:
    """The fiche, if `request.user` may see it; else 404, as for a missing one (a 403 would
    confirm that someone else's draft exists)."""
    alliance = get_object_or_404(Alliance.objects.prefetch_related("partners"), slug=slug)
    if not workflow.can_view(request.user, alliance):
        raise Http404("no such fiche")
    return alliance


def alliance_detail(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = _visible(request, slug)
    user = request.user
    curating = workflow.is_curator(user) or workflow.can_edit(user, alliance)
    duplicates: list[similar.Duplicate] = []
    if curating and alliance.state != State.PUBLISHED:
        try:
            fiche = clean_fiche(_as_data(alliance))
        except InputError as exc:  # stored before a vocabulary or territory change
            messages.warning(request, gettext("Fiche à corriger : %(error)s") % {"error": exc})
        else:
            duplicates = similar.likely_duplicates(fiche, user, exclude_id=alliance.pk)
    return render(
        request,
        "alliances/detail.html",
        {
            "alliance": alliance,
            "description_html": rendering.markdown_to_safe_html(alliance.description),
            "territories": [(c, places.name(c)) for c in alliance.territories],
            "labels": _labels(alliance),
            "partners": _partners(alliance),
            "similar": similar.similar(alliance) if alliance.state == State.PUBLISHED else [],
            "transitions": workflow.allowed(user, alliance),
            "can_edit": workflow.can_edit(user, alliance),
            "history": alliance.history.select_related("actor")[:20] if curating else [],
            "duplicates": duplicates,
        },
    )


def _as_data(alliance: Alliance) -> dict[str, Any]:
    record = exports.record(alliance)
    record["territories"] = alliance.territories
    for key in ("id", "slug", "freshness", "state", "url"):
        record.pop(key)
    if not alliance.import_id:
        record.pop("import_id")
    return record


def _labels(alliance: Alliance) -> list[tuple[str, list[str]]]:
    language = _language()
    out = []
    for name, codes in (
        ("objective", alliance.objectives),
        ("impact", alliance.impacts),
        ("fragility", alliance.fragilities),
        ("category", alliance.partnership_categories),
        ("support", alliance.support_forms),
        ("stage", [alliance.innovation_stage] if alliance.innovation_stage else []),
    ):
        facet = facets.BY_NAME[name]
        if codes:
            out.append((facet.title(language), [facet.label(c, language) for c in codes]))
    return out


def _term(vocabulary: vocabularies.Vocabulary, code: str, language: str) -> str:
    return vocabulary[code].label(language) if code in vocabulary else code


def _partners(alliance: Alliance) -> list[tuple[Partner, str, str]]:
    """Each partner with its actor type and size in the page's language."""
    language = _language()
    return [
        (
            p,
            _term(vocabularies.ACTOR_TYPES, p.actor_type, language),
            _term(vocabularies.ORGANISATION_SIZES, p.size, language),
        )
        for p in alliance.partners.all()
    ]


@login_required
def alliance_create(request: HttpRequest) -> HttpResponse:
    if not workflow.can_contribute(request.user):
        raise PermissionDenied("reserved to contributors")
    form = FicheForm(request.POST or None)
    duplicates: list[similar.Duplicate] = []
    if request.method == "POST" and form.is_valid():
        duplicates = similar.likely_duplicates(form.fiche, request.user)
        if not duplicates or request.POST.get("not_duplicate"):
            alliance, _ = records.save_fiche(form.fiche, owner=request.user, actor=request.user)
            messages.success(request, gettext("Brouillon enregistré."))
            return redirect(alliance)
    context = {"form": form, "alliance": None, "duplicates": duplicates}
    return render(request, "alliances/form.html", context)


@login_required
def alliance_edit(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = _visible(request, slug)
    if not workflow.can_edit(request.user, alliance):
        raise PermissionDenied("you cannot edit this fiche")
    form = FicheForm(
        request.POST or None, instance=alliance, initial=FicheForm.initial_for(alliance)
    )
    if request.method == "POST" and form.is_valid():
        records.update_fiche(alliance, form.fiche, actor=request.user)
        messages.success(request, gettext("Fiche enregistrée."))
        return redirect(alliance)
    return render(request, "alliances/form.html", {"form": form, "alliance": alliance})


@require_POST
@login_required
def alliance_transition(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = _visible(request, slug)
    try:
        workflow.apply(alliance, request.POST.get("action", ""), request.user)
    except InputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, gettext("Fiche : %(state)s.") % {"state": alliance.get_state_display()}
        )
    return redirect(alliance)


@login_required
def my_alliances(request: HttpRequest) -> HttpResponse:
    mine = Alliance.objects.filter(owner_id=request.user.pk).order_by("-updated_at")
    review = (
        Alliance.objects.filter(state=State.REVIEW).order_by("updated_at")
        if workflow.is_curator(request.user)
        else Alliance.objects.none()
    )
    return render(request, "alliances/mine.html", {"mine": mine, "review": review})


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("unknown format")
    content_type, produce = exports.FORMATS[fmt]
    response = HttpResponse(produce(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="alliances.{fmt}"'
    return response
