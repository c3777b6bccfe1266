"""A NUL byte in an address is refused before any view runs: in the path it names nothing (404),
in the query string it is bad input (400; 422 on the API, in the API's error shape).

No page or route means one, and PostgreSQL refuses them in any text, so a `%00` anywhere
(`/alliances/?q=%00`, `/api/alliances/%00`) was a 500 on PostgreSQL and a NUL passed to the
database on SQLite. Form and API bodies are checked by the apps' validation (`plaindata.text`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class NulByteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return _refuse(request, 404, "No such address (it contains a NUL byte, %00).")
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            status = 422 if _is_api(request) else 400
            return _refuse(request, status, "The query string contains a NUL byte (%00).")
        return self.get_response(request)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
