from __future__ import annotations

from django.urls import path, register_converter

from observatoire.platform.diagnostic import views


class KeyConverter:
    """The key of a personal link (32 URL-safe characters)."""

    regex = "[A-Za-z0-9_-]{32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KeyConverter, "key")

app_name = "diagnostic"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("commencer/", views.begin, name="begin"),
    path("statistiques/", views.statistics, name="statistics"),
    path("<key:key>/resultat/", views.result, name="result"),
    path("<key:key>/resultat.pdf", views.result_pdf, name="result_pdf"),
    path("<key:key>/refaire/", views.rerun, name="rerun"),
    path("<key:key>/effacer/", views.forget, name="forget"),
    path("<key:key>/<slug:module>/", views.page, name="page"),
]
