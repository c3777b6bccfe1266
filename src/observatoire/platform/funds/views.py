"""Pages of the funds: the list, a fund's page with its figures, a support, the managers' form
and status changes, the funding instruments and the finder that proposes them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.alliances import workflow as fiches
from observatoire.platform.funds import access, figures, history, instruments, records, status
from observatoire.platform.funds.forms import SupportForm
from observatoire.platform.funds.models import Fund, Support


def _language() -> str:
    return get_language() or "fr"


def _visible_fund(request: HttpRequest, slug: str) -> Fund:
    """The fund if the visitor may see it; missing and forbidden answer alike (404)."""
    fund = Fund.objects.filter(slug=slug).first()
    if fund is None or not access.can_view(request.user, fund):
        raise Http404("no such fund")
    return fund


def _figures(request: HttpRequest, fund: Fund) -> figures.FundFigures:
    supports = access.visible_supports(request.user).filter(fund=fund)
    return figures.compute(
        supports, _language(), can_see=lambda a: fiches.can_view(request.user, a)
    )


def fund_list(request: HttpRequest) -> HttpResponse:
    funds = [(f, _figures(request, f)) for f in access.visible_funds(request.user)]
    return render(
        request,
        "funds/list.html",
        {"funds": funds, "instruments": access.visible_instruments(request.user)},
    )


def fund_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fund = _visible_fund(request, slug)
    numbers = _figures(request, fund)
    by_strand = {r.code: r.count for r in numbers.by_strand}
    return render(
        request,
        "funds/detail.html",
        {
            "fund": fund,
            "figures": numbers,
            "breakdowns": _breakdowns(numbers),
            "strands": [(s, by_strand.get(str(s.pk), 0)) for s in fund.strands.all()],
            "amount_notes": [s for s in numbers.given if s.amount_note],
            "evaluations": access.visible_evaluations(request.user).filter(fund=fund),
            "instruments": access.visible_instruments(request.user).filter(fund=fund),
            "manages": access.manages(request.user, fund),
            "sees_all": access.sees_everything_in(request.user, fund),
        },
    )


def _breakdowns(numbers: figures.FundFigures) -> list[dict[str, Any]]:
    """The three charts of a fund page, each with the table that carries its numbers."""
    return [
        {
            "id": f"by-{name}",
            "title": title,
            "column": column,
            "rows": rows,
            "largest": max((r.count for r in rows), default=0),
        }
        for name, title, column, rows in (
            ("form", gettext("Par forme de soutien"), gettext("Forme"), numbers.by_form),
            ("region", gettext("Par région"), gettext("Région"), numbers.by_region),
            ("objective", gettext("Par objectif"), gettext("Objectif"), numbers.by_objective),
        )
    ]


def _visible_support(request: HttpRequest, slug: str, key: str) -> Support:
    fund = _visible_fund(request, slug)
    support = access.visible_supports(request.user).filter(fund=fund, key=key).first()
    if support is None:
        raise Http404("no such support")
    return support


def support_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    support = _visible_support(request, slug, key)
    sees_all = access.sees_everything_in(request.user, support.fund)
    return render(
        request,
        "funds/support.html",
        {
            "support": support,
            "fund": support.fund,
            "territory_name": places.name(support.territory),
            "fiche_visible": support.alliance is not None
            and fiches.can_view(request.user, support.alliance),
            "transitions": status.allowed(request.user, support),
            "manages": access.manages(request.user, support.fund),
            "changes": history.changes(support) if sees_all else [],
        },
    )


def _managed_fund(request: HttpRequest, slug: str) -> Fund:
    fund = _visible_fund(request, slug)
    if not access.manages(request.user, fund):
        raise PermissionDenied("only the fund's managers record its supports")
    return fund


@login_required
def support_create(request: HttpRequest, slug: str) -> HttpResponse:
    fund = _managed_fund(request, slug)
    form = SupportForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid() and form.data_out is not None:
        support = records.create_support(fund, form.data_out, request.user)
        messages.success(request, gettext("Soutien enregistré."))
        return redirect("funds:support", fund.slug, support.key)
    return render(request, "funds/support_form.html", {"form": form, "fund": fund})


@login_required
def support_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    fund = _managed_fund(request, slug)
    support = get_object_or_404(Support, fund=fund, key=key)
    form = SupportForm(request.POST or None, fund=fund, support=support)
    if request.method == "POST" and form.is_valid() and form.data_out is not None:
        records.update_support(support, form.data_out, request.user)
        messages.success(request, gettext("Soutien enregistré."))
        return redirect("funds:support", fund.slug, support.key)
    context = {"form": form, "fund": fund, "support": support}
    return render(request, "funds/support_form.html", context)


@require_POST
@login_required
def support_transition(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    fund = _managed_fund(request, slug)
    support = get_object_or_404(Support, fund=fund, key=key)
    try:
        status.apply(
            support, request.POST.get("action", ""), request.user, request.POST.get("note", "")
        )
    except InputError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("Statut : %(status)s.") % {"status": support.get_status_display()}
        )
    return redirect("funds:support", fund.slug, support.key)


FINDER_FIELDS = ("actor_type", "stage", "need", "territory")


def instrument_list(request: HttpRequest) -> HttpResponse:
    """All instruments, or those that fit the visitor's profile when the form is filled in."""
    query = {name: request.GET.get(name, "").strip()[:100] for name in FINDER_FIELDS}
    typed_territory = query["territory"]
    if query["territory"]:
        query["territory"] = places.from_visitor(query["territory"])
    facts = {
        name: request.GET[name] == "oui"
        for name in ("scaling_ambition", "multi_actor")
        if request.GET.get(name) in ("oui", "non")
    }
    searching = any(query.values()) or bool(facts)
    matches: list[instruments.InstrumentMatch] = []
    error = ""
    if searching:
        try:
            matches = instruments.eligible(**query, facts=facts, user=request.user)
        except InputError as exc:
            error = str(exc)
    language = _language()
    context: dict[str, Any] = {
        "query": {**query, "territory": typed_territory},
        "facts": {name: request.GET.get(name, "") for name in ("scaling_ambition", "multi_actor")},
        "searching": searching,
        "matches": matches,
        "error": error,
        "instruments": [] if searching else access.visible_instruments(request.user),
        "actor_types": vocabularies.ACTOR_TYPES.choices(language),
        "stages": vocabularies.INNOVATION_STAGES.choices(language),
        "needs": vocabularies.SUPPORT_FORMS.choices(language),
    }
    return render(request, "funds/instruments.html", context, status=400 if error else 200)


def instrument_detail(request: HttpRequest, slug: str) -> HttpResponse:
    instrument = access.visible_instruments(request.user).filter(slug=slug).first()
    if instrument is None:
        raise Http404("no such instrument")
    language = _language()
    return render(
        request,
        "funds/instrument.html",
        {
            "instrument": instrument,
            "kinds": _labels(vocabularies.FUNDING_INSTRUMENT_KINDS, instrument.kinds, language),
            "actor_types": _labels(vocabularies.ACTOR_TYPES, instrument.actor_types, language),
            "stages": _labels(vocabularies.INNOVATION_STAGES, instrument.stages, language),
            "forms": _labels(vocabularies.SUPPORT_FORMS, instrument.support_forms, language),
            "territories": [places.name(t) for t in instrument.territories],
            "fiche_visible": instrument.fiche is not None
            and fiches.can_view(request.user, instrument.fiche),
        },
    )


def _labels(vocabulary: vocabularies.Vocabulary, codes: list[str], language: str) -> list[str]:
    return [vocabulary[c].label(language) if c in vocabulary else c for c in codes]
