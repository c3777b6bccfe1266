"""Results pages: the study overview (France, then a region in one click) and each region."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire import territory
from observatoire.platform.results import published
from observatoire.platform.results.readings import reading, weight_in_total
from observatoire.results_contract import NATIONAL, formats

DOCUMENTS = (
    ("summary.pdf", _("Synthèse recto-verso (PDF)")),
    ("report.html", _("Rapport complet (HTML)")),
    ("report.pdf", _("Rapport complet (PDF)")),
    ("tables.xlsx", _("Tableaux (Excel)")),
    ("results.parquet", _("Résultats (Parquet)")),
    ("results.json", _("Résultats (JSON)")),
)


def _study(code: str | None = None) -> published.PublishedStudy:
    studies = published.studies()
    if code is None:
        if not studies:
            raise Http404("Aucune étude publiée.")
        return studies[0]
    study = published.load(code)
    if study is None:
        raise Http404(f"Étude inconnue : {code}")
    return study


def overview(request: HttpRequest, study: str | None = None) -> HttpResponse:
    """The national reading of the latest wave, with the region picker and the documents."""
    current = _study(study)
    return render(
        request,
        "results/overview.html",
        {
            "study": current,
            "sections": reading(current, NATIONAL, get_language()),
            "regions": current.regions(),
            "documents": [(f, label) for f, label in DOCUMENTS if current.file(f)],
            "map": current.file("charts/q2-map.svg") is not None,
        },
    )


def region(request: HttpRequest, study: str, code: str) -> HttpResponse:
    """One study region: every question against the rest of France, and its fact sheet."""
    current = _study(study)
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
