"""Results pages: the study overview (France, then a region in one click) and each region."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire import territory
from observatoire.platform.results import crossreading, published
from observatoire.platform.results.readings import reading, weight_in_total
from observatoire.results_contract import NATIONAL, formats

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
        primary = published.primary()
        if primary is None:
            raise Http404("Aucune étude publiée.")
        return primary
    study = published.load(code)
    if study is None:
        raise Http404(f"Étude inconnue : {code}")
    return study


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
            "documents": [(f, label) for f, label in DOCUMENTS if current.file(f)],
            "map": current.file("charts/q2-map.svg") is not None,
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
            "documents": [(f, label) for f, label in DOCUMENTS if current.file(f)],
            "all_studies": published.studies(),
        },
    )


def region(request: HttpRequest, study: str, code: str) -> HttpResponse:
    """One study region: every question against the rest of France, and its fact sheet."""
    current = _study(study)
    if current.several_populations or code not in current.results.territories():
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
            "factsheet_pdf": current.file(f"regions/{code}.pdf") is not None,
            "factsheet_html": current.file(f"regions/{code}.html") is not None,
            "alliances_query": urlencode([("region", member) for member in members]),
        },
    )


def document(request: HttpRequest, study: str, path: str) -> FileResponse:
    """A published document (aggregates only), served from the study's output folder."""
    file = _study(study).file(path)
    if file is None:
        raise Http404(f"Document introuvable : {path}")
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return FileResponse(file.open("rb"), content_type=content_type)
