"""pytest's settings (`pyproject.toml` names them): a temporary data folder of their own.

pytest-django imports these settings before any conftest runs, so the folder is chosen here: a
new empty folder per test process, exported as `OBSERVATOIRE_DATA_DIR` so that code outside
Django (the study pipeline) and the commands the tests start use it too. Nothing else is created
(a developer's own `OBSERVATOIRE_DATA_DIR` is never written by the tests). `tests/conftest.py`
removes the folder at the end of the session.
"""

from __future__ import annotations

import os
import secrets
import tempfile

os.environ["OBSERVATOIRE_DATA_DIR"] = tempfile.mkdtemp(prefix="observatoire-test-data-")

from observatoire.platform.settings.base import *  # noqa: F403

DEBUG = False
# Each test process signs with its own key; nothing signed outlives the process.
SECRET_KEY = secrets.token_urlsafe(50)
# Static files are looked up per request (no scan of the not-yet-collected STATIC_ROOT).
WHITENOISE_AUTOREFRESH = True
# Hashing passwords at full strength makes user fixtures dominate a test's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
