"""The platform's one web API (django-ninja), mounted at /api/ with its documentation at
/api/docs (Swagger UI served from django-ninja's own static files, so it works offline).

Every app of the platform that has an `api.py` exposing `router` (a `ninja.Router`) is mounted
here, in `INSTALLED_APPS` order; its paths begin with the app's name (`/alliances`, `/support/…`)
and its `tags` name its section of the docs. Authenticated routes use
`observatoire.platform.accounts.auth.token_auth`.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from observatoire.errors import InputError

api = NinjaAPI(
    title="Observatoire des partenariats — API",
    version="1",
    description="L'API de la plateforme : chaque application y a sa section (base des alliances : "
    "recherche à facettes, fiches, contributions). Les écritures demandent un jeton d'API "
    "(`Authorization: Bearer …`), émis dans l'administration. "
    "Données publiées sous Licence Ouverte 2.0.",
    urls_namespace="api",
    # No validator badge: it would ask a third-party host to validate the schema.
    docs=Swagger(settings={"validatorUrl": None}),
)


def _routers() -> list[Router]:
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.api"
        if not config.name.startswith("observatoire.platform.") or (
            importlib.util.find_spec(module_name) is None
        ):
            continue
        router = getattr(importlib.import_module(module_name), "router", None)
        if not isinstance(router, Router):
            raise ImproperlyConfigured(f"{module_name} has no `router` (a ninja.Router)")
        found.append(router)
    return found


for _router in _routers():
    api.add_router("/", _router)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(InputError)
def _bad_input(request: HttpRequest, exc: InputError) -> Any:
    """Bad input that a service module refused, with its sentence (what, where)."""
    return api.create_response(request, {"detail": str(exc)}, status=422)
