"""Mounted at /api/ outside the language prefixes: the API is language-neutral."""

from __future__ import annotations

from observatoire.platform.alliances.api import api

app_name = api.urls_namespace
urlpatterns = api.urls[0]
