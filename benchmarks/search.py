"""Benchmark of the alliances search (on demand): latency in process and API throughput with wrk.

    .venv/bin/python benchmarks/search.py --fiches 100000             # SQLite (embedded default)
    scripts/with-postgres.sh .venv/bin/python benchmarks/search.py    # PostgreSQL

Builds (or reuses) a throwaway instance holding N synthetic fiches (seeded), measures p50/p95 of
representative queries (text + two facets + a territory) through the search service, then serves
the instance with `observatoire serve` (gunicorn, 2 threaded workers) and drives `GET
/api/alliances` with Debian's `wrk` on loopback for a bounded time. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

QUERIES = [
    {
        "q": "décrochage",
        "filters": {"region": ["11"], "objective": ["co-construction-territoriale"]},
        "territory": "94018",
    },
    {
        "q": "énergie",
        "filters": {"impact": ["innovation"], "fragility": ["transition-energetique"]},
        "territory": "REG-84",
    },
    {
        "q": "insertion jeunes",
        "filters": {"actor_type": ["entreprises"], "stage": ["deploiement"]},
        "territory": "DEP-59",
    },
    {
        "q": "mobilité",
        "filters": {"objective": ["innovation-societale"], "impact": ["confiance"]},
        "territory": "33063",
    },
    {
        "q": "aidants",
        "filters": {"fragility": ["vieillissement"], "region": ["53"]},
        "territory": "FR",
    },
]


def _create_postgres_database() -> None:
    """scripts/with-postgres.sh starts an empty server: create the database named in the URL."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    server = {"host": config["HOST"], "port": config["PORT"], **config.get("OPTIONS", {})}
    server = {k: v for k, v in server.items() if v not in ("", None)} | {"user": config["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _setup(fiches: int) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _create_postgres_database()
    from observatoire.platform import setup

    setup.configure()
    setup.migrate()
    from observatoire.platform.alliances import synthetic
    from observatoire.platform.alliances.models import Alliance

    have = Alliance.objects.filter(is_synthetic=True).count()
    if have < fiches:
        start = time.perf_counter()
        synthetic.generate(
            fiches - have,
            seed=17 + have,
            report=lambda done: print(f"  generated {have + done}/{fiches}", file=sys.stderr),
        )
        print(f"generation: {time.perf_counter() - start:.0f} s", file=sys.stderr)
        from django.db import connection

        if connection.vendor == "postgresql":
            # As autovacuum does after bulk inserts (PostgreSQL 13+): fresh statistics, and a
            # visibility map, without which no scan of the facet table can be index-only.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


def _latencies(rounds: int) -> tuple[float, float, list[int]]:
    """p50 and p95 over all rounds (the queries in turn); per-query medians go to stderr."""
    from observatoire.platform.alliances.search.faceted import SearchParams, run

    timings: list[float] = []
    per_query: dict[int, list[float]] = {k: [] for k in range(len(QUERIES))}
    counts = [0] * len(QUERIES)
    for i in range(rounds):
        k = i % len(QUERIES)
        params = SearchParams(include_synthetic=True, **QUERIES[k])  # type: ignore[arg-type]
        start = time.perf_counter()
        counts[k] = run(params).count
        elapsed = (time.perf_counter() - start) * 1000
        timings.append(elapsed)
        per_query[k].append(elapsed)
    for k, values in per_query.items():
        q = QUERIES[k]
        print(
            f"  {q['q']!r} + {q['filters']} + {q['territory']}: "
            f"median {statistics.median(values):.1f} ms, {counts[k]} results",
            file=sys.stderr,
        )
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], counts


def _api_url(base: str) -> str:
    q = QUERIES[0]
    query = [("q", q["q"]), ("territory", q["territory"])]
    query += [(k, v) for k, vs in q["filters"].items() for v in vs]  # type: ignore[union-attr]
    return f"{base}/api/alliances?{urllib.parse.urlencode(query)}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_synthetic(port: int, uncached: bool) -> None:
    """`observatoire serve` on the throwaway instance, whose public search (the API's included)
    also finds its synthetic fiches. No real instance shows them: the switch lives here, in the
    benchmark's own server process, not on the platform's request path. `uncached`: every
    request runs its search (no answer kept, as for queries that are all different)."""
    from observatoire.platform import setup

    setup.configure()
    from observatoire.cli.platform import serve
    from observatoire.platform.alliances.search import answers, faceted

    if uncached:
        answers.SECONDS = 0  # Django's cache keeps nothing for 0 s

    public = faceted.base_queryset
    faceted.base_queryset = lambda include_synthetic=False: public(include_synthetic=True)
    serve(port=port, workers=2)


def _wrk(seconds: int, connections: int, uncached: bool = False) -> float:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-synthetic", str(port)]
        + (["--uncached"] if uncached else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = _api_url(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        # Warm-up, unmeasured: each worker loads the territory data on its first request.
        subprocess.run(["wrk", "-t2", f"-c{connections}", "-d3s", url], capture_output=True)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        print(out, file=sys.stderr)
        match = re.search(r"Requests/sec:\s+([\d.]+)", out)
        return float(match.group(1)) if match else 0.0
    finally:
        server.terminate()
        server.wait(timeout=20)


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{a:.1f}" for a in averages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--data-dir", type=Path, help="Instance folder to (re)use (SQLite).")
    parser.add_argument("--serve-synthetic", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--uncached", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_synthetic:
        _serve_synthetic(args.serve_synthetic, args.uncached)
        return
    if "OBSERVATOIRE_DATA_DIR" not in os.environ:
        folder = args.data_dir or Path(tempfile.gettempdir()) / f"observatoire-bench-{args.fiches}"
        os.environ["OBSERVATOIRE_DATA_DIR"] = str(folder)
    _setup(args.fiches)
    from django.db import connection

    from observatoire.platform.alliances.search import answers

    p50, p95, counts = _latencies(args.rounds)
    before = os.getloadavg()
    uncached = _wrk(args.seconds, args.connections, uncached=True)
    rps = _wrk(args.seconds, args.connections)
    after = os.getloadavg()
    load = f"wrk, {args.connections} conn., {args.seconds} s"
    print(
        f"| database | fiches | p50 (ms) | p95 (ms) | API req/s, each search run ({load}) "
        f"| API req/s, answers kept {answers.SECONDS} s | load average (1, 5, 15 min) |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {connection.vendor} | {args.fiches} | {p50:.1f} | {p95:.1f} | {uncached:.0f} "
        f"| {rps:.0f} | {_load(before)} → {_load(after)} |"
    )
    print(f"result counts of the {len(QUERIES)} queries: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
