"""Issue 9, item 8: 460 answers 500 during the probe left no traceback. Every environment's
settings now write a 500's traceback to standard error (where gunicorn's log is)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# A request to a view that fails, in a fresh process with the given settings; the check is on
# what that process writes to its standard error.
_SCRIPT = """
import django
django.setup()
from django.test import Client
from django.urls import path
from observatoire.platform import urls

def fails(request):
    raise ZeroDivisionError("the probe's failure")

urls.urlpatterns.append(path("probe-500/", fails))
answer = Client(raise_request_exception=False).get("/probe-500/", secure=True)
print(answer.status_code)
"""


@pytest.mark.parametrize("settings_module", ["local", "production"])
def test_a_500_leaves_its_traceback_on_stderr(tmp_path: Path, settings_module: str) -> None:
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"observatoire.platform.settings.{settings_module}",
        "OBSERVATOIRE_DATA_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite://:memory:",
    }
    run = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.stdout.strip() == "500", run.stderr[-2000:]
    assert "Internal Server Error: /probe-500/" in run.stderr
    assert "Traceback (most recent call last)" in run.stderr
    assert "ZeroDivisionError: the probe's failure" in run.stderr
