"""The home page: each part of the observatory, and a region's results, within two clicks."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from observatoire import vocabularies
from observatoire.platform.results import published


def home(request: HttpRequest) -> HttpResponse:
    study = published.by_region()
    regions = study.regions() if study else []
    return render(
        request,
        "home/index.html",
        {
            "study": study,
            "regions": regions,
            "crossreading": published.crossreading_study(),
            "objectives": vocabularies.OBJECTIVES.choices(get_language() or "fr"),
        },
    )
