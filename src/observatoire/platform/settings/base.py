"""Settings shared by every environment, taken from the environment where they vary.

`DATABASE_URL` selects the database (default: SQLite in the data folder; `postgres://…` in
production); `OBSERVATOIRE_DATA_DIR` the data folder; `DJANGO_ALLOWED_HOSTS` and
`DJANGO_CSRF_TRUSTED_ORIGINS` are comma-separated lists. Nothing is created at import: the data
folder and its contents are made by the steps that fill them (`observatoire demo`).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from observatoire.paths import data_dir


def env_flag(name: str, default: bool = False) -> bool:
    """An on/off environment variable: 1, true, yes, on (any case) are on."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PLATFORM_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Apps of the platform come after Django's and the libraries'; see docs/platform.md to add one.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    # Listed so that /api/docs renders django-ninja's own copy of Swagger UI (no CDN).
    "ninja",
    # Every write of the apps that need it is history-logged (who, when, what, why).
    "simple_history",
    # Login throttling (failed attempts per user name and address): see AXES_* below.
    "axes",
    "observatoire.platform.accounts",
    "observatoire.platform.home",
    "observatoire.platform.results",
    "observatoire.platform.alliances",
    "observatoire.platform.funds",
    "observatoire.platform.support",
    "observatoire.platform.diagnostic",
    "observatoire.platform.scorecards",
    "observatoire.platform.territories",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "observatoire.platform.nulbytes.NulByteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees the views' exceptions first: a locked database answers 503.
    "observatoire.platform.busy.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "observatoire.platform.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "observatoire.platform.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'observatoire.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite, the embedded default, set up for a small team writing at once. WAL: readers go on while
# one transaction writes. IMMEDIATE: a transaction takes the write lock when it begins, so that
# two never both read then wait to write (SQLite would fail one at once, whatever the timeout).
# Writers queue for the lock up to the busy timeout (seconds; `benchmarks/busy_day.py writers`
# measured the waits), then get a 503 with Retry-After (`platform/busy.py`), never a 500.
SQLITE_BUSY_TIMEOUT = env_int("OBSERVATOIRE_SQLITE_BUSY_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }

# Users, login and API tokens: `observatoire.platform.accounts`.
AUTH_USER_MODEL = "accounts.User"
# django-axes first: after AXES_FAILURE_LIMIT failed logins of one user name from one address
# (login page and admin alike), that pair is refused for AXES_COOLOFF_TIME, with a page saying
# so (HTTP 429, `accounts/lockout.py`). API tokens are 256-bit random keys, checked without
# `authenticate`: nothing to guess there.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("OBSERVATOIRE_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "observatoire.platform.accounts.lockout.response"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "home:index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
# The shared catalogue; each app with a `locale/` folder of its own brings its messages there.
LOCALE_PATHS = [PLATFORM_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PLATFORM_DIR / "static"]
# Published documents (results app) go through the default storage: a folder of the data folder
# here; another backend (an object store) in production needs no shared disk between workers.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain copies: compressing every file again on each `observatoire demo` took 37 s (the API
    # docs' scripts and source maps); production compresses them (production.py).
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve from the apps' folders too, so that a server works before `collectstatic`.
WHITENOISE_USE_FINDERS = True
# Published study outputs (aggregates only) that the platform serves.

# Response headers every page satisfies in every environment, so that the tests (browser tests
# included) run under the policy production sends. No inline script, style or event handler;
# images may be data: URIs (charts); nothing is loaded from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every environment writes its errors to standard error (where gunicorn's log and the terminal
# are): a 500 leaves its traceback (`django.request`), a busy database a warning.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING"},
        "observatoire": {"handlers": ["stderr"], "level": "WARNING"},
        "axes": {"handlers": ["stderr"], "level": "WARNING"},
    },
}
