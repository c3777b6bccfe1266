"""The newcomer's path: on a fresh clone, `make run` (`observatoire demo`, an empty data folder)
prepares everything then serves pages that answer, with the study just computed.

It once hung: the study was computed with Polars in the process that then forked gunicorn's
workers, and Polars' thread pool does not survive `fork()`, so the first request reading the
published results waited forever. Each request here must answer within REQUEST_SECONDS."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Generous: the demo study is generated and computed first, on a machine that may be busy.
PREPARE_SECONDS = 900
REQUEST_SECONDS = 60
PAGES = [
    "/",
    "/resultats/",
    "/resultats/impact-citoyens/regions/52/",
    "/resultats/regards-croises/",
    "/alliances/",
    "/api/docs",
]

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def _make_run_command() -> list[str]:
    """What `make run` runs, read from the Makefile so that this test follows it."""
    recipe = re.search(r"^run:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert recipe is not None and recipe.group(1) == "$(BIN)/observatoire demo"
    return [str(Path(sys.executable).parent / "observatoire"), "demo"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_server(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + PREPARE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`observatoire demo` stopped ({process.returncode}):\n{log.read_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(1)
    pytest.fail(f"nothing listened on port {port} after {PREPARE_SECONDS} s:\n{log.read_text()}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except TimeoutError:
        pytest.fail(f"{url} did not answer within {REQUEST_SECONDS} s")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`make run`'s command on a data folder that does not exist yet, as in a fresh clone."""
    folder = tmp_path_factory.mktemp("first-run")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "OBSERVATOIRE_")) and k != "DATABASE_URL"
    }
    env["OBSERVATOIRE_DATA_DIR"] = str(folder / "data")
    port = _free_port()
    log = folder / "demo.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*_make_run_command(), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # gunicorn and its workers are stopped as one group
        )
    try:
        _wait_for_server(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_make_run_serves_every_section_from_an_empty_data_folder(demo_server: str) -> None:
    statuses = {path: _status(demo_server + path) for path in PAGES}
    assert statuses == dict.fromkeys(PAGES, 200)


@pytest.mark.browser
def test_results_pages_satisfy_the_content_security_policy(
    demo_server: str, chromium_browser
) -> None:  # type: ignore[no-untyped-def]
    from test_content_security_policy import RECORD_VIOLATIONS

    context = chromium_browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    found = {}
    for path in PAGES[1:3]:
        assert page.goto(demo_server + path).status == 200
        page.wait_for_load_state("networkidle")
        if violations := page.evaluate("window.__violations"):
            found[path] = violations
    context.close()
    assert found == {}
