"""URL map of the platform; each app brings its own `urls.py`."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("observatoire.platform.alliances.api_urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("alliances/", include("observatoire.platform.alliances.urls")),
    path("resultats/", include("observatoire.platform.results.urls")),
    path("", include("observatoire.platform.home.urls")),
    prefix_default_language=False,
)
