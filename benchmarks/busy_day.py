"""A busy day on the embedded default (SQLite), on demand: concurrent writers, and reads during an
import (issue 9, item 2).

    .venv/bin/python benchmarks/busy_day.py writers                 # 20 API writers for 30 s
    .venv/bin/python benchmarks/busy_day.py reads                   # wrk -c64 during imports

Each run builds a throwaway instance in a temporary data folder (`DATABASE_URL` ignored: the
point is the default SQLite) and serves it with `observatoire serve` (gunicorn, 2 threaded
workers of 4 threads, as shipped).

- `writers`: N contributors, each with an API token and a connection of their own, POST new
  fiches to `/api/alliances` as fast as they get answers for S seconds; then every fiche answered
  201 is looked up in the database. Prints the answers by status, latency percentiles and the
  load average; the last line is `server_errors=E missing_rows=M created=C`.
- `reads`: an import of R fiches starts (`observatoire alliances import`, saved in batches of 25)
  and, while it runs, `wrk -c64` reads `/`, `/resultats/` and `/api/alliances?q=…` in turn, S
  seconds each. Prints per address requests, req/s, non-2xx answers and socket errors, then the
  import's duration, whether every fiche was imported and the load average; the last line is
  `errors=E` (non-2xx, socket errors, a failed import, missing fiches, an import over before the
  last wrk run).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OBSERVATOIRE = str(Path(sys.executable).with_name("observatoire"))
READ_PATHS = ["/", "/resultats/", "/api/alliances?q=insertion+jeunes&region=11"]


def _environment(folder: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return env | {"OBSERVATOIRE_DATA_DIR": str(folder), "PYTHONUNBUFFERED": "1"}


def _prepare(folder: Path, full: bool) -> None:
    """The instance: everything `observatoire demo` prepares (`full`), or only the database."""
    command = [OBSERVATOIRE, "demo", "--no-serve"] if full else [
        sys.executable, "-c",
        "from observatoire.platform import setup; setup.configure(); setup.migrate()",
    ]  # fmt: skip
    subprocess.run(command, env=_environment(folder), check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`observatoire serve` on the instance of `folder`, stopped on exit."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.log = open(folder / "server.log", "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [OBSERVATOIRE, "serve", "--port", str(self.port)],
            env=_environment(folder),
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def __enter__(self) -> Server:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/openapi.json", timeout=5)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def _django(folder: Path) -> None:
    """Django in this process, on the instance's database (only to add users and to count)."""
    os.environ.update(_environment(folder))
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "observatoire.platform.settings.local"
    from observatoire.platform import setup

    setup.configure()


def _contributor_keys(count: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from observatoire.platform.accounts import tokens

    group = Group.objects.get(name="Contributeurs")
    keys = []
    for n in range(count):
        user = get_user_model().objects.create_user(f"redactrice-{n}", password=None)
        user.groups.add(group)
        keys.append(tokens.issue(user, "busy day")[1])
    return keys


def _write(port: int, key: str, writer: int, until: float, out: list[tuple[int, float, str]]):  # type: ignore[no-untyped-def]
    """POST fiches until `until`; appends (status, seconds, slug or '') per request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    n = 0
    while time.monotonic() < until:
        n += 1
        body = json.dumps({
            "title": f"Atelier partagé {writer}-{n}",
            "summary": f"Une fiche écrite par la rédactrice {writer} pendant l'essai de charge.",
            "territories": ["94018"],
        })  # fmt: skip
        start = time.monotonic()
        try:
            connection.request("POST", "/api/alliances", body, headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            out.append((0, time.monotonic() - start, ""))  # a connection error counts as one
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        slug = json.loads(payload)["alliance"]["slug"] if response.status == 201 else ""
        out.append((response.status, time.monotonic() - start, slug))
    connection.close()


def writers(folder: Path, count: int, seconds: int) -> int:
    _prepare(folder, full=False)
    _django(folder)
    keys = _contributor_keys(count)
    answers: list[tuple[int, float, str]] = []
    with Server(folder) as server:
        load_before = os.getloadavg()
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_write, args=(server.port, key, n, until, answers))
            for n, key in enumerate(keys)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_after = os.getloadavg()
    from observatoire.platform.alliances.models import Alliance

    slugs = {slug for status, _, slug in answers if status == 201}
    present = Alliance.objects.filter(slug__in=slugs).count()
    statuses = Counter(status for status, _, _ in answers)
    times = sorted(t for _, t, _ in answers)
    server_errors = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    print(f"{count} writers, {seconds} s, SQLite ({options['transaction_mode']} transactions, "
          f"busy timeout {options['timeout']} s)")  # fmt: skip
    print(f"requests: {len(answers)} ({len(answers) / seconds:.1f}/s); by status: "
          + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))  # fmt: skip
    if times:
        q = statistics.quantiles(times, n=100) if len(times) > 1 else [times[0]] * 99
        print(f"latency: p50 {q[49]:.2f} s, p95 {q[94]:.2f} s, max {times[-1]:.2f} s")
    print(f"rows answered 201: {len(slugs)}, found in the database: {present}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    print(f"server_errors={server_errors} missing_rows={len(slugs) - present} created={len(slugs)}")
    return _failed(folder, bool(server_errors or len(slugs) != present))


def _failed(folder: Path, failed: bool) -> int:
    """1 and the end of the server's log (its tracebacks) on stderr if the run failed, else 0."""
    if failed:
        log = (folder / "server.log").read_text(errors="replace").splitlines()
        print("\n".join(log[-60:]), file=sys.stderr)
    return int(failed)


def _import_file(folder: Path, rows: int) -> Path:
    path = folder / "import.json"
    fiches = [
        {
            "import_id": f"essai-{n}",
            "title": f"Alliance d'essai {n} pour l'emploi des jeunes",
            "summary": "Une fiche de l'essai de charge : importée pendant les lectures.",
            "territories": ["94018"],
            "objectives": ["co-construction-territoriale"],
        }
        for n in range(rows)
    ]
    path.write_text(json.dumps(fiches, ensure_ascii=False), encoding="utf-8")
    return path


def _wrk(url: str, seconds: int, connections: int) -> dict[str, int]:
    """Requests, non-2xx answers and socket errors (connect, read, write, timeout) of one run."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def number(pattern: str) -> int:
        match = re.search(pattern, out)
        return int(match.group(1)) if match else 0

    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "requests": number(r"(\d+) requests in"),
        "non_2xx": number(r"Non-2xx or 3xx responses: (\d+)"),
        "socket_errors": socket_errors,
    }


def reads(folder: Path, rows: int, seconds: int, connections: int) -> int:
    _prepare(folder, full=True)
    errors = 0
    print(f"wrk -t2 -c{connections} -d{seconds}s --timeout 10s on each address in turn, while an "
          f"import of {rows} fiches runs, SQLite")  # fmt: skip
    print("| address | requests | req/s | non-2xx | socket errors |")
    print("|---|---|---|---|---|")
    with Server(folder) as server:
        base = f"http://127.0.0.1:{server.port}"
        for path in READ_PATHS:
            urllib.request.urlopen(base + path, timeout=30).read()  # warm: first reads load data
        load_before = os.getloadavg()
        began = time.monotonic()
        importing = subprocess.Popen(
            [OBSERVATOIRE, "alliances", "import", str(_import_file(folder, rows)),
             "--source", "essai"],
            env=_environment(folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(2)  # the import reads and checks every row before it writes
        for path in READ_PATHS:
            figures = _wrk(base + path, seconds, connections)
            errors += figures["non_2xx"] + figures["socket_errors"]
            print(f"| `{path}` | {figures['requests']} | {figures['requests'] / seconds:.1f} | "
                  f"{figures['non_2xx']} | {figures['socket_errors']} |")  # fmt: skip
        overlapped = importing.poll() is None
        load_after = os.getloadavg()
        _, stderr = importing.communicate(timeout=3600)
        lasted = time.monotonic() - began
    if importing.returncode != 0:
        print(f"the import failed: {stderr.decode()[-2000:]}", file=sys.stderr)
        errors += 1
    if not overlapped:
        print("the import ended before the last wrk run: use fewer --seconds", file=sys.stderr)
        errors += 1
    print(f"import: {lasted:.0f} s")
    _django(folder)
    from observatoire.platform.alliances.models import Alliance

    imported = Alliance.objects.filter(source_name="essai").count()
    print(f"fiches imported: {imported} of {rows}")
    print(f"load average before {load_before[0]:.2f}, after the reads {load_after[0]:.2f} (1 min)")
    errors += rows - imported
    print(f"errors={errors}")
    return _failed(folder, errors > 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("writers", help="concurrent API writers")
    w.add_argument("--writers", type=int, default=20)
    w.add_argument("--seconds", type=int, default=30)
    r = sub.add_parser("reads", help="wrk on three addresses, each during an import")
    r.add_argument("--rows", type=int, default=2000)
    r.add_argument("--seconds", type=int, default=10)
    r.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="observatoire-busy-") as name:
        if args.command == "writers":
            failed = writers(Path(name), args.writers, args.seconds)
        else:
            failed = reads(Path(name), args.rows, args.seconds, args.connections)
    sys.exit(failed)


if __name__ == "__main__":
    main()
