"""The home page: what the observatory offers, in two clicks to each part."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/index.html")
