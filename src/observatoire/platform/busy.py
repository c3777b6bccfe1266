"""A busy database answers 503 with `Retry-After`, never 500.

On SQLite (the embedded default) one transaction writes at a time; the others wait for the lock
up to the busy timeout (`settings.base.SQLITE_BUSY_TIMEOUT`, chosen with
`benchmarks/busy_day.py writers`). A writer that still finds the database locked after that
wait has lost nothing — its transaction was rolled back whole — and is told to try again, as
HTTP says for a server that is momentarily overloaded. The API answers in its error shape; a
page answers a short page that needs no database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 2
_LOCKED = ("database is locked", "database table is locked")


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is the database refusing a write because another one holds the lock."""
    return isinstance(exc, OperationalError) and any(text in str(exc) for text in _LOCKED)


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        logger.warning("database busy: %s %s answered 503", request.method, request.path)
        message = gettext("Le serveur est très sollicité : réessayez dans quelques secondes.")
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            page = render_to_string("busy.html", {"message": message}, request=request)
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
