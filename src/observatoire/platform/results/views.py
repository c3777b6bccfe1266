"""Results pages: the study overview (France, then a region in one click) and each region."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire import territory
from observatoire.errors import InputError
from observatoire.platform.results import charts, crossreading, published, rendering
from observatoire.platform.results.domains import place, reading_place
from observatoire.platform.results.headlines import Headline, headlines_of
from observatoire.platform.results.readings import comparison, reading, weight_in_total
from observatoire.results_contract import NATIONAL, formats

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DOCUMENTS = (
    ("summary.pdf", _("Synthèse recto-verso (PDF)")),
    ("regards-croises.pdf", _("Regards croisés recto-verso (PDF)")),
    ("report.html", _("Rapport complet (HTML)")),
    ("report.pdf", _("Rapport complet (PDF)")),
    ("tables.xlsx", _("Tableaux (Excel)")),
    ("results.parquet", _("Résultats (Parquet)")),
    ("results.json", _("Résultats (JSON)")),
)


def _study(code: str | None = None) -> published.PublishedStudy:
    if code is None:
        found = published.by_region()
        if found is None:
            raise Http404("Aucune étude publiée.")
        return found
    study = published.load(code)
    if study is None:
        raise Http404(f"Étude inconnue : {code}")
    return study


def _by_region(code: str) -> published.PublishedStudy:
    """A study read by region (one population): the region, map, comparison and chart pages
    have nothing to show for a study of several populations, read on its own page."""
    study = _study(code)
    if study.several_populations:
        raise Http404(
            f"Étude de plusieurs populations, lue sur la page des regards croisés : {code}"
        )
    return study


def _documents(study: published.PublishedStudy) -> list[tuple[str, StrOrPromise]]:
    return [(f, label) for f, label in DOCUMENTS if study.document(f)]


def overview(request: HttpRequest, study: str | None = None) -> HttpResponse:
    """The national reading of the latest wave, with the region picker and the documents; for a
    study of several populations, its cross-reading."""
    current = _study(study)
    if current.several_populations:
        return _crossreading(request, current)
    return render(
        request,
        "results/overview.html",
        {
            "study": current,
            "sections": reading(current, NATIONAL, get_language()),
            "regions": current.regions(),
            "documents": _documents(current),
            "map": current.document("charts/q2-map.svg") is not None,
            "all_studies": published.studies(),
        },
    )


def regards(request: HttpRequest) -> HttpResponse:
    """The "Regards croisés": the published study of several populations, read side by side."""
    current = published.crossreading_study()
    if current is None:
        raise Http404("Aucune étude de plusieurs populations n'est publiée.")
    return _crossreading(request, current)


def _crossreading(request: HttpRequest, current: published.PublishedStudy) -> HttpResponse:
    language = get_language() or "fr"
    populations = [
        {**p, "sample": formats.count(p.get("sample_size"), language=language)}
        for p in current.meta.get("populations", [])
    ]
    return render(
        request,
        "results/crossreading.html",
        {
            "study": current,
            "questions": crossreading.questions(current, language),
            "populations": populations,
            "documents": _documents(current),
            "all_studies": published.studies(),
        },
    )


def region(request: HttpRequest, study: str, code: str) -> HttpResponse:
    """One study region: every question against the rest of France, and its fact sheet."""
    current = _by_region(study)
    if code not in current.results.territories():
        raise Http404(f"Région d'étude inconnue : {code}")
    share = weight_in_total(current, code)
    members = next((r.regions for r in territory.study_regions() if r.code == code), (code,))
    return render(
        request,
        "results/region.html",
        {
            "study": current,
            "code": code,
            "name": territory.study_region_name(code),
            "sections": reading(current, code, get_language()),
            "regions": current.regions(),
            "weight": None if share is None else formats.percent(share, language=get_language()),
            "factsheet_pdf": current.document(f"regions/{code}.pdf") is not None,
            "factsheet_html": current.document(f"regions/{code}.html") is not None,
            "alliances_query": urlencode([("region", member) for member in members]),
        },
    )


def document(request: HttpRequest, study: str, path: str) -> FileResponse:
    """A published document of the run (aggregates only), read from the storage. Only the
    paths the publication lists exist: anything else, however odd (a NUL byte, a name longer
    than any path), is simply not found."""
    found = _study(study).document(path)
    if found is None:
        raise Http404("Document introuvable.")
    return FileResponse(found.open(), content_type=found.content_type)


NARROW = "etroite"  # ?largeur=etroite: the chart laid out for a phone


def chart(request: HttpRequest, study: str, kind: str, fmt: str) -> HttpResponse:
    """A chart of published figures as SVG, PNG or CSV (its rows, as the API gives them):
    `?territoire=` for a territory's charts, `?figure=QUESTION:INDICATOR:CATEGORY` for a map,
    `?largeur=etroite` for the phone layout of the same figures."""
    current = _by_region(study)
    if fmt not in rendering.FORMATS:
        raise Http404("Format inconnu.")
    language = get_language() or "fr"
    built = _chart(current, kind, request, language)
    if built is None:
        raise Http404("Graphique inconnu.")
    response = HttpResponse(
        rendering.render(built, fmt, current, language), content_type=rendering.FORMATS[fmt]
    )
    suffix = "-donnees-synthetiques" if current.synthetic else ""
    parts = [request.GET.get(k, "") for k in ("territoire", "taille", "a", "b", "question")]
    what = re.sub(r"[^A-Za-z0-9.]+", "-", "-".join(p for p in parts if p))[:80]
    name = f"{current.code}-{built.name}-{what}{suffix}.{fmt}"
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _chart(
    study: published.PublishedStudy, kind: str, request: HttpRequest, language: str
) -> charts.Chart | None:
    narrow = request.GET.get("largeur") == NARROW
    if kind == "carte":
        figure = _figure(study, request.GET.get("figure", ""))
        return None if figure is None else charts.region_map(study, figure, language, narrow)
    try:
        if kind in charts.PORTRAIT:
            where = reading_place(request.GET.get("territoire", "FR"), request.GET.get("taille"))
        else:
            where = place(request.GET.get("territoire", "FR"))
        if kind == "comparaison":
            first, second = place(request.GET.get("a", "")), place(request.GET.get("b", ""))
    except InputError:
        return None
    code = request.GET.get("question", "")[:100]
    if kind == "question":
        return charts.question(study, where, code, language, narrow) if code else None
    if kind == "comparaison":
        return charts.comparison(study, first, second, code, language, narrow) if code else None
    return charts.portrait_chart(study, where, language, kind, narrow)


def _figure(study: published.PublishedStudy, text: str) -> Headline | None:
    """QUESTION:INDICATOR[:CATEGORY] of a published figure of the latest wave, or None."""
    question, indicator, category = ([*text.split(":", 2), None, None])[:3]
    rows = [
        r
        for r in study.results.rows([indicator or ""])
        if r["question"] == question and r["category"] == (category or None)
    ]
    if not rows:
        return None
    return Headline(
        str(question), str(indicator), category or None, str(rows[0]["category_label"] or "")
    )


def maps(request: HttpRequest, study: str) -> HttpResponse:
    """A map of the study regions for any figure of the latest wave, with the same figures in a
    table (value, interval, base, difference with the rest of France where significant)."""
    current = _by_region(study)
    heads = headlines_of(current)
    choices = heads.choices()
    default = heads.net(heads.collective_play) if heads.collective_play else None
    asked = request.GET.get("figure", "")[:200]
    figure = (
        _figure(current, asked) or default or (_figure(current, choices[0][0]) if choices else None)
    )
    if figure is None:
        raise Http404("Aucun indicateur à cartographier.")
    key = f"{figure.question}:{figure.indicator}:{figure.category or ''}".rstrip(":")
    built = charts.region_map(current, figure, get_language() or "fr")
    return render(
        request,
        "results/maps.html",
        {
            "study": current,
            "choices": choices,
            "chosen": key,
            "unknown": bool(asked) and key != asked,
            "chart": built,
            "table": charts.table(built, get_language() or "fr") if built else [],
        },
    )


def compare(request: HttpRequest, study: str) -> HttpResponse:
    """Two study regions side by side, each figure with its interval and base, each region read
    against the rest of France."""
    current = _by_region(study)
    codes = dict(current.regions())
    first, second = request.GET.get("a", ""), request.GET.get("b", "")
    language = get_language() or "fr"
    sections = []
    if first in codes and second in codes and first != second:
        sections = comparison(current, first, second, language)
    return render(
        request,
        "results/compare.html",
        {
            "study": current,
            "regions": current.regions(),
            "a": first,
            "b": second,
            "a_name": codes.get(first),
            "b_name": codes.get(second),
            "sections": sections,
            "incomplete": bool(request.GET) and not sections,
        },
    )
