"""URL map of the platform; each app brings its own `urls.py` (see docs/platform.md)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from observatoire.platform.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Outside the language prefixes: the API is language-neutral.
    path("api/", api.urls),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("comptes/", include("observatoire.platform.accounts.urls")),
    path("", include("observatoire.platform.scorecards.urls")),
    path("alliances/", include("observatoire.platform.alliances.urls")),
    path("annuaire/", include("observatoire.platform.support.urls")),
    path("resultats/", include("observatoire.platform.results.urls")),
    path("territoires/", include("observatoire.platform.territories.urls")),
    path("fonds/", include("observatoire.platform.funds.urls")),
    path("diagnostic/", include("observatoire.platform.diagnostic.urls")),
    path("", include("observatoire.platform.home.urls")),
    prefix_default_language=False,
)
