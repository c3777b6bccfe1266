"""Benchmark of the territory portraits and the results API (on demand): p50/p95 latency.

    .venv/bin/python benchmarks/portraits.py --fiches 100000     # SQLite (embedded default)

Builds (or reuses) a throwaway instance holding N synthetic fiches of alliances (as
`benchmarks/search.py` does; its folder by default), the seed fiches and the directory of
support actors, and two published studies (IMPACT-Citoyens and IMPACT-Acteurs, their figures
computed by the pipeline). Then, for portraits of communes drawn at random (all sizes, every
study region), of departments, EPCIs and regions, and for results API selections by territory,
question and page, it measures the latency of each request through HTTP on `observatoire serve`
(gunicorn, 2 threaded workers, sequential requests on one kept-alive connection, after one
warm-up round), and prints p50/p95 per kind with the load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STUDIES = ("impact-citoyens", "impact-acteurs")


def _prepare(fiches: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from search import _setup  # the same instance as the search benchmark's

    _setup(fiches)
    from observatoire.paths import project_root
    from observatoire.platform.alliances.content import load_seed
    from observatoire.platform.results.models import Publication
    from observatoire.platform.results.publishing import publish
    from observatoire.platform.support import demo
    from observatoire.platform.support.content import load_seed as load_support
    from observatoire.studies.run import run_study

    load_seed()
    load_support()
    demo.load()
    root = project_root()
    assert root is not None
    for code in STUDIES:
        if Publication.objects.filter(study=code).exists():
            continue
        start = time.perf_counter()
        out = Path(os.environ["OBSERVATOIRE_DATA_DIR"]) / "published" / code
        run_study(root / "studies" / code, out, documents=False)
        publish(out)
        print(f"published {code}: {time.perf_counter() - start:.0f} s", file=sys.stderr)


def _urls(rng: random.Random, communes: int) -> dict[str, list[str]]:
    from observatoire import territory

    metropolitan = [
        t.code
        for t in territory.search("a", kinds=["commune"], limit=40_000)
        if t.study_region is not None
    ]
    drawn = rng.sample(metropolitan, communes)
    departments = [f"DEP-{d.code}" for d in territory.departments() if d.study_region]
    epcis = [t.ref for t in territory.search("communaute", kinds=["epci"], limit=400)]
    regions = [f"REG-{code}" for code in territory.study_region_codes()]
    questions = ["Q1", "Q2", "Q3", "Q3.sante", "Q7"]
    return {
        "portrait, commune": [f"/territoires/{code}/" for code in drawn],
        "portrait, department, EPCI, region": [
            f"/territoires/{ref}/"
            for ref in rng.sample(departments, 20) + rng.sample(epcis, 20) + regions
        ],
        "API, commune and question": [
            f"/api/results?territory={code}&question={rng.choice(questions)}" for code in drawn
        ],
        "API, study pages": [
            f"/api/results?study={rng.choice(STUDIES)}&page={rng.randint(1, 40)}&page_size=100"
            for _ in range(communes)
        ],
    }


def _serve(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "observatoire", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not answer")


def _timed(connection: http.client.HTTPConnection, url: str) -> float:
    start = time.perf_counter()
    connection.request("GET", url)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{url}: {response.status}")
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=100_000)
    parser.add_argument("--communes", type=int, default=200, help="communes drawn")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--data-dir", type=Path, help="Instance folder to (re)use (SQLite).")
    args = parser.parse_args()
    if "OBSERVATOIRE_DATA_DIR" not in os.environ:
        folder = args.data_dir or Path(tempfile.gettempdir()) / f"observatoire-bench-{args.fiches}"
        os.environ["OBSERVATOIRE_DATA_DIR"] = str(folder)
    from observatoire.platform import setup

    setup.configure()
    _prepare(args.fiches)
    urls = _urls(random.Random(args.seed), args.communes)
    port = 20000 + random.Random().randint(0, 9999)
    before = os.getloadavg()
    server = _serve(port)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for group in urls.values():  # warm-up: each worker builds its caches once
            for url in group[:10]:
                _timed(connection, url)
        rows = []
        for kind, group in urls.items():
            timings = sorted(_timed(connection, url) for url in group)
            p95 = timings[int(0.95 * (len(timings) - 1))]
            rows.append((kind, len(timings), statistics.median(timings), p95, timings[-1]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = os.getloadavg()
    print(f"| request ({args.fiches} fiches, {len(STUDIES)} studies) | n | p50 (ms) | p95 (ms) "
          "| max (ms) |")  # fmt: skip
    print("|---|---|---|---|---|")
    for kind, n, p50, p95, top in rows:
        print(f"| {kind} | {n} | {p50:.1f} | {p95:.1f} | {top:.1f} |")
    print(f"load average (1, 5, 15 min): {' '.join(f'{a:.1f}' for a in before)} → "
          f"{' '.join(f'{a:.1f}' for a in after)}")  # fmt: skip


if __name__ == "__main__":
    main()
