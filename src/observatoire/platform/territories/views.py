"""Territory pages: « ma commune » (a search that needs no JavaScript) and each portrait."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language

from observatoire import territory
from observatoire.errors import InputError
from observatoire.platform.results.domains import place
from observatoire.platform.territories import finding
from observatoire.platform.territories.portrait import kind_label, portrait, url


def find(request: HttpRequest) -> HttpResponse:
    """What a visitor typed: straight to the portrait when one territory fits, else the list."""
    text = request.GET.get("q", "")
    found = finding.find(text)
    if found.exact is not None:
        return redirect(url(found.exact))
    language = get_language() or "fr"
    return render(
        request,
        "territories/find.html",
        {
            "query": found.text,
            "matches": [(t, kind_label(t.kind, language), url(t)) for t in found.matches],
        },
        status=200,
    )


def portrait_page(request: HttpRequest, code: str, printable: bool = False) -> HttpResponse:
    """A territory's portrait, at its canonical address (a commune by its INSEE code, any other
    territory by its reference: DEP-94, REG-11, EPCI-…, EPT-…)."""
    try:
        where = place(code)
    except territory.AmbiguousTerritory:
        return redirect(f"{reverse('territories:find')}?q={code}")
    except InputError as error:
        raise Http404("Territoire inconnu.") from error
    if where.kind == "country":
        return redirect("results:index")
    canonical = where.code if where.kind == "commune" else where.ref
    if canonical != code:
        target = "territories:print" if printable else "territories:portrait"
        return HttpResponseRedirect(reverse(target, args=[canonical]))
    language = get_language() or "fr"
    return render(
        request,
        "territories/print.html" if printable else "territories/portrait.html",
        {
            "portrait": portrait(where, language),
            "address": request.build_absolute_uri(reverse("territories:portrait", args=[code])),
        },
    )
