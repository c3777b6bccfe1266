"""The platform's one web API (django-ninja), mounted at /api/ with its documentation at
/api/docs (Swagger UI served from django-ninja's own static files, so it works offline).

Every app of the platform that has an `api.py` exposing `router` (a `ninja.Router`) is mounted
here, in `INSTALLED_APPS` order; its paths begin with the app's name (`/alliances`, `/support/…`)
and its `tags` name its section of the docs. Authenticated routes use
`observatoire.platform.accounts.auth.token_auth`.

Every error has one shape, `{"detail": "<sentence>"}` (a request that fails the schema also
lists its `errors`, each with its location), and the schema states the answers every route may
give besides its own: 422 when it takes input, 401 when it needs a token, 404 when its path names
a record, 503 when the database is busy (`platform.busy`). The schemathesis test holds every
route to this contract.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from observatoire.errors import InputError

_ERROR = "PlatformError"
_COMMON_ANSWERS = {
    "400": "The body is not JSON.",
    "401": "Missing, unknown or revoked token.",
    "403": "The token's user may not do this.",
    "404": "No such record (or one the reader may not see).",
    "414": "The address is longer than the server reads (4,094 bytes of request line).",
    "422": "Bad input: `detail` says what is wrong and where.",
    "503": "The database is busy: try again after `Retry-After` seconds.",
}


class PlatformAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The schema, with the answers that every route may give stated on each route."""
        schema = super().get_openapi_schema(**kwargs)
        schema["components"].setdefault("schemas", {})[_ERROR] = {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["detail"],
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                parameters = operation.get("parameters", [])
                where = {p["in"] for p in parameters}
                statuses = ["503"]
                if parameters or "requestBody" in operation:
                    statuses.append("422")
                if "requestBody" in operation:
                    statuses.append("400")
                if "path" in where:
                    statuses.append("404")
                if "query" in where:
                    statuses.append("414")
                if operation.get("security"):
                    statuses += ["401", "403"]
                # ninja's keys are ints; "422" beside 422 is a duplicated key once in JSON
                answers = {str(code): answer for code, answer in operation["responses"].items()}
                for status in statuses:
                    answers.setdefault(status, _error_answer(status))
                operation["responses"] = answers
        return schema


def _error_answer(status: str) -> dict[str, Any]:
    if status == "414":  # gunicorn's own page, before the application
        return {"description": _COMMON_ANSWERS[status]}
    return {
        "description": _COMMON_ANSWERS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{_ERROR}"}}},
    }


api = PlatformAPI(
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


def _schema_classes(base: type[Schema]) -> list[type[Schema]]:
    found: list[type[Schema]] = []
    for cls in base.__subclasses__():
        found.append(cls)
        found.extend(_schema_classes(cls))
    return found


def check_schema_names() -> None:
    """Two apps' schemas with one name but different shapes would share one entry of the
    OpenAPI components, and one app's routes would be documented with the other's shape (the
    alliances' search answer was described as the directory's, `pages` and all). Stops the
    server with both places named; identical shapes may share a name (`ErrorOut`)."""
    by_name: dict[str, dict[str, str]] = {}
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("observatoire."):
            shape = json.dumps(cls.model_json_schema(), sort_keys=True)
            by_name.setdefault(cls.__name__, {})[shape] = f"{cls.__module__}.{cls.__qualname__}"
    for name, shapes in by_name.items():
        if len(shapes) > 1:
            raise ImproperlyConfigured(
                f"API schema name {name!r} has different shapes in {' and '.join(shapes.values())}:"
                " rename one (prefix it with its app's subject)"
            )


check_schema_names()


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(InputError)
def _bad_input(request: HttpRequest, exc: InputError) -> Any:
    """Bad input that a service module refused, with its sentence (what, where)."""
    return api.create_response(request, {"detail": str(exc)}, status=422)


@api.exception_handler(ValidationError)
def _schema_error(request: HttpRequest, exc: ValidationError) -> Any:
    """A request that fails the route's schema: one sentence naming each bad place, then the
    list (without the input itself, which may be megabytes long)."""
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:10])
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
