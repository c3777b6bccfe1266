"""Pages of the scorecards: the board, the flow chart, time series, measurements, editing,
history and health checks of one alliance; roll-ups and health aggregates of the platform.

Thin views over `board`, `records`, `measurement_files`, `health`, `rollups`; `access` decides
who sees what (a private scorecard answers 404 to whoever may not see it, as if it were missing).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from observatoire import vocabularies as v
from observatoire.errors import InputError
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.scorecards import (
    access,
    board,
    charts,
    flowchart,
    health,
    history,
    measurement_files,
    proposals,
    records,
    rollups,
    status,
    validation,
)
from observatoire.platform.scorecards.forms import KINDS
from observatoire.platform.scorecards.models import HealthCheck, Scorecard


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _editable(request: HttpRequest, slug: str) -> Alliance:
    """The fiche whose scorecard `request.user` may edit: 403 if they may only read it, 404 if
    they may not even know it has one."""
    alliance = Alliance.objects.filter(slug=slug).first()
    if alliance is None:
        raise Http404
    if not access.can_edit(request.user, alliance):
        scorecard = Scorecard.objects.filter(alliance=alliance).first()
        if scorecard is not None and access.can_view(request.user, scorecard):
            raise PermissionDenied
        raise Http404
    return alliance


def _editing(request: HttpRequest, slug: str) -> Scorecard:
    return records.scorecard_for(_editable(request, slug), request.user)


def _context(request: HttpRequest, scorecard: Scorecard, **more: Any) -> dict[str, Any]:
    alliance = scorecard.alliance
    return {
        "scorecard": scorecard,
        "alliance": alliance,
        "can_edit": access.can_edit(request.user, alliance),
        "can_see_health": access.can_see_health(request.user, alliance),
        "is_public": access.is_public(scorecard),
        **more,
    }


def board_view(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = Alliance.objects.filter(slug=slug).first()
    scorecard = Scorecard.objects.filter(alliance=alliance).first() if alliance else None
    if alliance is not None and scorecard is None and access.can_edit(request.user, alliance):
        return render(request, "scorecards/empty.html", {"alliance": alliance})
    scorecard = access.scorecard_or_404(request.user, slug)
    data = board.build(scorecard, request.user, _language())
    editing = access.can_edit(request.user, scorecard.alliance)
    return render(
        request,
        "scorecards/board.html",
        _context(
            request,
            scorecard,
            board=data,
            rules=status.RULES,
            proposals=proposals.propose(scorecard.alliance) if editing else [],
            perspective_labels=dict(v.SCORECARD_PERSPECTIVES.choices(_language())),
        ),
    )


@require_POST
@login_required
def create_view(request: HttpRequest, slug: str) -> HttpResponse:
    scorecard = _editing(request, slug)
    return redirect("scorecards:board", slug=scorecard.alliance.slug)


def flow_view(request: HttpRequest, slug: str) -> HttpResponse:
    scorecard = access.scorecard_or_404(request.user, slug)
    assets = list(scorecard.assets.select_related("partner"))
    stakes = list(scorecard.stakes.all())
    pathways = list(scorecard.pathways.select_related("asset", "stake"))
    chart = flowchart.build(assets, stakes, pathways, _language())
    return render(
        request,
        "scorecards/flow.html",
        _context(request, scorecard, chart=chart, pathways=pathways),
    )


def indicator_view(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    scorecard = access.scorecard_or_404(request.user, slug)
    indicator = access.visible_indicators(request.user, scorecard).filter(code=code[:60]).first()
    if indicator is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not access.can_edit(request.user, scorecard.alliance):
            raise PermissionDenied
        data = {
            k: request.POST.get(k, "") for k in validation.MEASUREMENT_COLUMNS if k in request.POST
        }
        try:
            row = validation.clean_measurement({**data, "indicator": indicator.code},
                                               records.rules(scorecard))  # fmt: skip
            problems = records.check_periods(scorecard, [row])
            if problems:
                raise problems[0][1]
            records.save_measurements(scorecard, [row], request.user)
        except InputError as exc:
            errors[exc.field or "value"] = exc.message
        else:
            messages.success(request, gettext("Mesure enregistrée."))
            return redirect("scorecards:indicator", slug=slug, code=indicator.code)
    measurements = list(indicator.measurements.order_by("date", "breakdown_code"))
    return render(
        request,
        "scorecards/indicator.html",
        _context(
            request,
            scorecard,
            indicator=indicator,
            measurements=measurements,
            status=status.assess(indicator, measurements),
            errors=errors,
            posted=request.POST if errors else {},
            confidence_choices=v.CONFIDENCE_LEVELS.choices(_language()),
            breakdown_choices=_breakdown_choices(indicator.breakdown),
        ),
        status=400 if errors else 200,
    )


def indicator_chart(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The time series as an SVG image (a separate file: no inline styles in the page)."""
    scorecard = access.scorecard_or_404(request.user, slug)
    indicator = access.visible_indicators(request.user, scorecard).filter(code=code[:60]).first()
    if indicator is None:
        raise Http404
    measurements = list(indicator.measurements.order_by("date", "breakdown_code"))
    if not measurements:
        raise Http404
    narrow = request.GET.get("format") == "etroit"  # the phone's version
    chart = charts.svg(indicator, measurements, _language(), narrow)
    response = HttpResponse(chart, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


def _breakdown_choices(name: str) -> list[tuple[str, str]]:
    from observatoire.platform.scorecards import catalogue

    vocabulary = catalogue.BREAKDOWNS.get(name)
    return vocabulary.choices(_language()) if vocabulary else []


@login_required
def measurements_view(request: HttpRequest, slug: str) -> HttpResponse:
    scorecard = _editing(request, slug)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, gettext("Choisissez un fichier CSV ou Excel."))
        else:
            name = (upload.name or "fichier")[:100]
            content = upload.read(measurement_files.MAX_BYTES + 1)
            report = measurement_files.import_measurements(
                scorecard, name, content, request.user, dry_run=bool(request.POST.get("dry_run"))
            )
    return render(
        request,
        "scorecards/measurements.html",
        _context(
            request,
            scorecard,
            report=report,
            columns=validation.MEASUREMENT_COLUMNS,
            indicators=list(scorecard.indicators.all()),
        ),
        status=400 if report and report.error_count else 200,
    )


def export_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    scorecard = access.scorecard_or_404(request.user, slug)
    if fmt not in measurement_files.FORMATS:
        raise Http404
    rows = measurement_files.export_rows(list(access.visible_indicators(request.user, scorecard)))
    if fmt == "csv":
        content: str | bytes = measurement_files.to_csv(rows)
    else:
        content = measurement_files.to_xlsx(rows)
    response = HttpResponse(content, content_type=measurement_files.FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="mesures-{scorecard.alliance.slug}.{fmt}"'
    )
    return response


def _posted(query: QueryDict, names: list[str], multi: set[str]) -> dict[str, Any]:
    return {
        n: query.getlist(n) if n in multi else query.get(n, "")
        for n in names
        if n in query or n in multi
    }


@login_required
def item_view(request: HttpRequest, slug: str, kind: str, pk: int | None = None) -> HttpResponse:
    """Add (no `pk`) or change a row of the scorecard: asset, stake, pathway or indicator."""
    scorecard = _editing(request, slug)
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    row = None
    if pk is not None:
        row = spec.model._default_manager.filter(scorecard=scorecard, pk=pk).first()
        if row is None:
            raise Http404
    fields = spec.fields(scorecard, _language())
    values = spec.initial(row) if row is not None else {}
    error: InputError | None = None
    if request.method == "POST":
        multi = {f.name for f in fields if f.widget == "multi"}
        values = _posted(request.POST, [f.name for f in fields], multi)
        for f in fields:
            if f.widget == "checkbox":
                values[f.name] = "oui" if request.POST.get(f.name) else "non"
        try:
            spec.save(scorecard, values, request.user, row)
        except InputError as exc:
            error = exc
        else:
            messages.success(request, gettext("Tableau de bord enregistré."))
            return redirect("scorecards:board", slug=slug)
    return render(
        request,
        "scorecards/item_form.html",
        _context(request, scorecard, kind=spec, fields=fields, values=values, error=error, row=row),
        status=400 if error else 200,
    )


@require_POST
@login_required
def item_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    scorecard = _editing(request, slug)
    spec = KINDS.get(kind)
    row = spec.model._default_manager.filter(scorecard=scorecard, pk=pk).first() if spec else None
    if row is None:
        raise Http404
    records.delete(row, request.user)
    messages.success(request, gettext("Supprimé : %(row)s.") % {"row": row})
    return redirect("scorecards:board", slug=slug)


@require_POST
@login_required
def adopt_stake(request: HttpRequest, slug: str) -> HttpResponse:
    """Adopt a stake proposed from the published results, with the figures behind it."""
    scorecard = _editing(request, slug)
    wanted = request.POST.get("fragility", "")
    proposal = next(
        (p for p in proposals.propose(scorecard.alliance) if p.fragility == wanted), None
    )
    if proposal is None:
        messages.error(request, gettext("Cette proposition n'est plus disponible."))
    else:
        data = validation.clean_stake({"statement": proposal.label, "fragility": proposal.fragility,
                                       "territory": proposal.territory,
                                       "evidence": proposal.evidence})  # fmt: skip
        records.save_stake(scorecard, data, request.user)
        messages.success(request, gettext("Enjeu ajouté : %(label)s.") % {"label": proposal.label})
    return redirect("scorecards:board", slug=slug)


@require_POST
@login_required
def settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    scorecard = _editing(request, slug)
    try:
        data = validation.clean_settings(
            {k: request.POST.get(k, "") for k in ("visibility", "notes")}
        )
    except InputError as exc:
        messages.error(request, str(exc))
    else:
        records.update_settings(scorecard, data, request.user)
        messages.success(request, gettext("Tableau de bord enregistré."))
    return redirect("scorecards:board", slug=slug)


@login_required
def history_view(request: HttpRequest, slug: str) -> HttpResponse:
    scorecard = _editing(request, slug)
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), 1000)
    except ValueError:
        page = 1
    entries, more = history.entries(scorecard, page)
    return render(request, "scorecards/history.html",
                  _context(request, scorecard, entries=entries, page=page, more=more))  # fmt: skip


def _health_round(request: HttpRequest, slug: str) -> tuple[Scorecard, HealthCheck | None]:
    alliance = Alliance.objects.filter(slug=slug).first()
    if alliance is None or not access.can_see_health(request.user, alliance):
        raise Http404
    scorecard = records.scorecard_for(alliance, request.user)
    return scorecard, scorecard.health_checks.first()


@login_required
def health_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest round: the questionnaire for a partner that has not answered yet, then every
    partner's view side by side (a partner sees the others' answers once it has given its own)."""
    scorecard, check = _health_round(request, slug)
    mandate = access.mandate(request.user, scorecard.alliance)
    error: InputError | None = None
    if request.method == "POST":
        if check is None or mandate is None:
            raise PermissionDenied
        try:
            answers = validation.clean_health_answers(
                {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
            )
        except InputError as exc:
            error = exc
        else:
            records.answer_health_check(check, mandate.partner, answers, request.user)
            messages.success(request, gettext("Merci : vos réponses sont enregistrées."))
            return redirect("scorecards:health", slug=slug)
    result = health.round_result(check) if check else None
    answered = bool(result and mandate and mandate.partner in result.answered)
    show_results = result is not None and (access.is_curator(request.user) or answered)
    return render(
        request,
        "scorecards/health.html",
        _context(
            request,
            scorecard,
            check=check,
            result=result if show_results else None,
            waiting=result.waiting if result else [],
            answered_partners=result.answered if result else [],
            mandate=mandate,
            ask=check is not None
            and mandate is not None
            and (not answered or "modifier" in request.GET),
            items=[
                (t.code, t.label(_language()), health.STATEMENTS[t.code]) for t in v.HEALTH_ITEMS
            ],
            scale=list(health.SCALE.items()),
            rules=health.DIVERGENCE_RULES,
            error=error,
            posted=request.POST if error else {},
        ),
        status=400 if error else 200,
    )


@require_POST
@login_required
def health_open(request: HttpRequest, slug: str) -> HttpResponse:
    scorecard, _check = _health_round(request, slug)
    if not access.can_edit(request.user, scorecard.alliance):
        raise PermissionDenied
    try:
        title = validation.text(request.POST, "title", required=True)
    except InputError as exc:
        messages.error(request, str(exc))
    else:
        records.open_health_check(scorecard, title, request.user)
        messages.success(request, gettext("Nouveau bilan ouvert : %(title)s.") % {"title": title})
    return redirect("scorecards:health", slug=slug)


@login_required
def access_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Who acts for which partner. Curators name anyone for any partner; a partner's
    representative names colleagues for its own partner only."""
    alliance = _editable(request, slug)
    scorecard = records.scorecard_for(alliance, request.user)
    curator = access.is_curator(request.user)
    mandate = access.mandate(request.user, alliance)
    partners = list(alliance.partners.all()) if curator else [mandate.partner] if mandate else []
    if request.method == "POST":
        username = validation.text(request.POST, "username")[:150]
        partner = next((p for p in partners if str(p.pk) == request.POST.get("partner")), None)
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if partner is None or user is None:
            messages.error(request, gettext("Utilisateur ou partenaire inconnu."))
        else:
            try:
                records.grant(alliance, partner, user, request.user)
            except InputError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, gettext("%(user)s agit désormais pour %(partner)s.")
                                 % {"user": user, "partner": partner})  # fmt: skip
                return redirect("scorecards:access", slug=slug)
    representatives = alliance.representatives.select_related("user", "partner").order_by(
        "partner__position", "user__username"
    )
    return render(request, "scorecards/access.html",
                  _context(request, scorecard, partners=partners,
                           representatives=representatives))  # fmt: skip


def rollup_view(request: HttpRequest) -> HttpResponse:
    query = request.GET
    error = ""
    try:
        year_text = query.get("year", "").strip()
        if year_text and not year_text.isdigit():
            raise InputError("expected a year such as 2023", field="year")
        filters = rollups.Filters(
            territory=query.get("territory", "").strip()[:40],
            objective=query.get("objective", "")[:60],
            impact=query.get("impact", "")[:60],
            year=int(year_text) if year_text else None,
            group=query.get("group", "")[:20],
        ).clean()
    except InputError as exc:
        error, filters = str(exc), rollups.Filters()
    result = rollups.rollup(filters)
    groups = rollups.grouped(filters) if filters.group and not error else []
    language = _language()
    return render(
        request,
        "scorecards/rollup.html",
        {
            "filters": filters,
            "error": error,
            "result": result,
            "groups": groups,
            "scorecards": rollups.scorecards(rollups.Filters()).order_by("alliance__title"),
            "objectives": v.OBJECTIVES.choices(language),
            "impacts": v.IMPACTS.choices(language),
            "units": dict(v.UNITS.choices(language)),
            "breakdowns": {
                t.code: t.label(language)
                for voc in (v.ACTOR_TYPES, v.PILLARS, v.ASSET_KINDS)
                for t in voc
            },
        },
        status=400 if error else 200,
    )


def health_aggregates_view(request: HttpRequest) -> HttpResponse:
    language = _language()
    cells = {(c.actor_type, c.item): c for c in health.aggregates()}
    rows = [
        (t.label(language), [cells[(t.code, item)] for item in v.HEALTH_ITEMS.codes])
        for t in v.ACTOR_TYPES
    ]
    return render(request, "scorecards/health_aggregates.html", {
        "rows": rows, "items": [(t.code, t.label(language)) for t in v.HEALTH_ITEMS],
        "statements": health.STATEMENTS, "min_cell": health.MIN_CELL, "scale": health.SCALE,
    })  # fmt: skip


def board_url(alliance: Alliance) -> str:
    return reverse("scorecards:board", kwargs={"slug": alliance.slug})
