"""Shared test settings: an isolated data folder for every test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

os.environ.setdefault("OBSERVATOIRE_DATA_DIR", tempfile.mkdtemp(prefix="observatoire-test-data-"))
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
