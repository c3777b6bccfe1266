"""Shared test settings. The data folder is the test settings' own temporary folder
(`observatoire.platform.settings.test`), removed at the end of the session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionfinish(session: pytest.Session) -> None:
    from django.conf import settings

    if settings.configured and settings.DATA_DIR.name.startswith("observatoire-test-data-"):
        shutil.rmtree(settings.DATA_DIR, ignore_errors=True)
