"""Settings per environment: nothing written at import, a temporary data folder under pytest,
production refusing to start misconfigured and passing `check --deploy` without a warning.

These start fresh interpreters with chosen environments; they do not touch the database, so the
SQLite run is enough (`sqlite_only`)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from observatoire.platform import secret_key

STRONG_KEY = "k" * 40 + "0123456789abcdef"
PRODUCTION = "observatoire.platform.settings.production"
LOCAL = "observatoire.platform.settings.local"


def _run(
    args: list[str], settings_module: str, data_dir: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "OBSERVATOIRE_")) and k != "DATABASE_URL"
    }
    clean |= {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "OBSERVATOIRE_DATA_DIR": str(data_dir),
        **env,
    }
    return subprocess.run(args, capture_output=True, text=True, env=clean, check=False, timeout=120)


def _setup(settings_module: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import django; django.setup(); from django.conf import settings; settings.SECRET_KEY"
    return _run([sys.executable, "-c", code], settings_module, data_dir, **env)


def test_pytest_uses_a_temporary_data_folder_of_its_own() -> None:
    data_dir = Path(settings.DATA_DIR)
    assert data_dir.parent == Path(tempfile.gettempdir())
    assert data_dir.name.startswith("observatoire-test-data-")
    assert os.environ["OBSERVATOIRE_DATA_DIR"] == str(data_dir)
    assert Path(settings.MEDIA_ROOT).is_relative_to(data_dir)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("settings_module", [LOCAL, PRODUCTION])
def test_importing_settings_writes_nothing(tmp_path: Path, settings_module: str) -> None:
    missing = tmp_path / "not-yet"
    result = _setup(
        settings_module, missing, DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stderr
    assert not missing.exists()


@pytest.mark.sqlite_only
def test_local_settings_read_the_data_folder_key_and_name_the_step_that_writes_it(
    tmp_path: Path,
) -> None:
    result = _setup(LOCAL, tmp_path)
    assert result.returncode != 0
    assert "has no secret key yet: run `observatoire demo --no-serve`" in result.stderr
    key_file = secret_key.ensure(tmp_path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = secret_key.read(tmp_path)
    assert key is not None and len(key) >= 50
    assert secret_key.ensure(tmp_path) == key_file and secret_key.read(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
    assert _setup(LOCAL, tmp_path).returncode == 0


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({}, "DJANGO_SECRET_KEY is missing or weak"),
        ({"DJANGO_SECRET_KEY": "insecure-local-key-change-me-in-production"}, "is missing or weak"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "is missing or weak"),
        ({"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on"),
        (
            {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": ""},
            "DJANGO_ALLOWED_HOSTS is empty",
        ),
    ],
)
def test_production_refuses_to_start_misconfigured(
    tmp_path: Path, env: dict[str, str], sentence: str
) -> None:
    env = {"DJANGO_ALLOWED_HOSTS": "example.org", **env}
    result = _setup(PRODUCTION, tmp_path, **env)
    assert result.returncode != 0
    assert sentence in result.stderr


@pytest.mark.sqlite_only
def test_serve_with_production_settings_and_no_secret_exits_with_one_sentence(
    tmp_path: Path,
) -> None:
    result = _run(
        [sys.executable, "-m", "observatoire", "serve", "--port", "9"],
        PRODUCTION,
        tmp_path,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 1
    sentence = " ".join(line.strip() for line in result.stderr.splitlines())  # rich wraps it
    assert sentence.startswith("Error: DJANGO_SECRET_KEY is missing or weak: set it to a random")
    assert sentence.endswith('print(secrets.token_urlsafe(50))"`.')
    assert "Traceback" not in result.stderr
    assert "Serving" not in result.stdout


@pytest.mark.sqlite_only
def test_production_settings_pass_check_deploy_without_a_warning(tmp_path: Path) -> None:
    result = _run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION,
        tmp_path,
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_every_page_is_sent_with_the_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/alliances/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
