"""Issue 9, item 2: on the default SQLite, concurrent writers queue for the lock (WAL, IMMEDIATE
transactions, a busy timeout) and one that waits too long gets a 503 with Retry-After, never a
500. The 20-writer figures are `benchmarks/busy_day.py`'s;
`test_concurrent_api_writers_all_get_201_and_every_fiche_is_saved` runs it smaller on a real
server (gunicorn on a SQLite file, as shipped)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client

from observatoire.platform.accounts import tokens
from observatoire.platform.alliances import records

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "busy_day.py"
FICHE = {"title": "Essai", "summary": "Un essai.", "territories": ["FR"]}


@pytest.fixture
def contributor(db: None) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("camille", password="x")
    user.groups.add(Group.objects.get(name="Contributeurs"))
    return user


def _file_database(path: Path) -> DatabaseWrapper:
    """A connection with the settings' SQLite options, on a database file of its own."""
    options = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    return DatabaseWrapper(
        {**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": options}, alias="probe"
    )


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_immediate_transactions(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == settings.SQLITE_BUSY_TIMEOUT >= 5
    probe = _file_database(tmp_path / "probe.sqlite3")
    with django_db_blocker.unblock(), probe.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    probe.close()


@pytest.mark.sqlite_only
def test_two_writers_both_get_through(tmp_path: Path, django_db_blocker: Any) -> None:
    """Issue 9: 'even 2 writers lose 17 %'. A transaction that read before writing failed at
    once ('database is locked', the busy timeout ignored) when another wrote meanwhile; with
    IMMEDIATE transactions the second writer waits for the first and then succeeds."""
    path = tmp_path / "two.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (n INTEGER)")
    setup.close()
    errors: list[BaseException] = []
    first_holds_the_lock = threading.Event()

    def write(hold: float) -> None:
        db = _file_database(path)  # a connection per thread, as a server's threads have
        try:
            with db.cursor() as cursor:
                db._start_transaction_under_autocommit()  # what `atomic` runs: BEGIN <mode>
                cursor.execute("SELECT COUNT(*) FROM t")  # read, then write
                if hold:
                    first_holds_the_lock.set()
                    time.sleep(hold)
                cursor.execute("INSERT INTO t VALUES (1)")
                db.connection.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            db.close()

    with django_db_blocker.unblock():
        holder = threading.Thread(target=write, args=(0.5,))
        holder.start()
        first_holds_the_lock.wait(5)
        write(0)
        holder.join()
    assert errors == []
    check = sqlite3.connect(path)
    assert check.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 2


@pytest.mark.django_db
def test_a_locked_database_answers_503_with_retry_after(
    client: Client, contributor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(records, "save_fiche", locked)
    _, key = tokens.issue(contributor)
    answer = client.post(
        "/api/alliances",
        json.dumps(FICHE),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert "réessayez" in answer.json()["detail"]
    client.force_login(contributor)
    page = client.post(
        "/alliances/proposer/", {"title": "Essai", "summary": "Un essai.", "territories": "FR"}
    )
    assert page.status_code == 503 and int(page["Retry-After"]) > 0
    assert "réessayez" in page.content.decode()


@pytest.mark.django_db
def test_other_database_errors_stay_errors(
    client: Client, contributor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("no such table: alliances_alliance")

    monkeypatch.setattr(records, "save_fiche", broken)
    client.raise_request_exception = False
    client.force_login(contributor)
    page = client.post(
        "/alliances/proposer/", {"title": "Essai", "summary": "Un essai.", "territories": "FR"}
    )
    assert page.status_code == 500


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_concurrent_api_writers_all_get_201_and_every_fiche_is_saved() -> None:
    """Issue 9, item 2: '10 contributors posting at once through the API: 79 of 100 requests got
    500'. Eight writers for 8 s on a served instance: no answer >= 500 (a 503 would mean that a
    writer waited for the lock past the 20 s busy timeout), and every fiche answered 201 is in the
    database."""
    run = subprocess.run(
        [sys.executable, str(BENCHMARK), "writers", "--writers", "8", "--seconds", "8"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-3000:]
    figures = dict(item.split("=") for item in summary.split())
    assert figures["server_errors"] == "0", run.stdout
    assert figures["missing_rows"] == "0", run.stdout
    assert int(figures["created"]) > 8, run.stdout
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
