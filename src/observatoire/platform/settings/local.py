"""The embedded default: one machine, SQLite in the data folder, served on localhost.

Used by `observatoire demo`, `observatoire serve` and `manage.py` unless `DJANGO_SETTINGS_MODULE`
says otherwise. The secret key is `DJANGO_SECRET_KEY` if set, else the one that `observatoire
demo` wrote into the data folder (`observatoire.platform.secret_key` says why a file).
`DJANGO_DEBUG=1` turns on Django's debug pages.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from observatoire.platform import secret_key
from observatoire.platform.settings.base import *  # noqa: F403
from observatoire.platform.settings.base import DATA_DIR, env_flag

DEBUG = env_flag("DJANGO_DEBUG")

_key = os.environ.get("DJANGO_SECRET_KEY") or secret_key.read(DATA_DIR)
if _key is None:
    raise ImproperlyConfigured(
        f"The data folder {DATA_DIR} has no secret key yet: run `observatoire demo --no-serve` "
        "once to prepare it (or set DJANGO_SECRET_KEY)."
    )
SECRET_KEY = _key
