"""The answer to a login refused by django-axes (too many failures of one user name from one
address): the login page's frame with one sentence, HTTP 429 and `Retry-After`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, round(seconds / 60))
    answer = render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
    answer["Retry-After"] = str(seconds)
    return answer
