"""Survey-engine benchmark: our engine against R's `survey` and Python peers on the same file.

    python benchmarks/survey_engine.py --rows 1000000 --peers r,svy --r-rows 100000

The workload (shared/benchmarks/survey_workload.md) is generated once per (rows, seed) into a
temporary folder (Parquet for the Python engines, CSV for R). Each engine then runs in its own
process on that file and times five steps: design, rake to 1e-10, 20 means, 20 means by group6,
and the 41-column banner (ours only). Peak memory is the child's ru_maxrss (whole process, reading
included); the per-step figure is the peak reached by the end of the step. Estimates and standard
errors of every peer are compared with ours (largest relative difference), and each engine's
largest remaining relative gap to a raking target is shown, so that an early stop is visible.

R: Debian's `r-cran-survey`, `r-cran-data.table`, `r-cran-jsonlite` (apt-get install ...).
Python peers: `benchmarks/setup_peers.sh` installs them in a venv of their own; pass its python
with --peers-python (default: $OBSERVATOIRE_PEERS_VENV/bin/python or
~/.cache/observatoire/peers-venv/bin/python). R at 1M rows takes tens of minutes: `--r-rows N`
runs R on the first N rows only and extrapolates its times linearly to --rows (said in the output;
our engine is then also run on those N rows to check that the estimates agree).

The last line reads `ratio_vs_r=X ratio_vs_svy=Y`: (rake + means + by-domain seconds of the peer)
/ (the same of ours), `na` for a peer not run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from steps import MARGINS, QUESTIONS, Steps  # noqa: E402
from workload import generate  # noqa: E402

STEPS = ("design", "rake", "means", "by", "banner")
RATIO_STEPS = ("rake", "means", "by")
DEFAULT_SEED = 20261126
BANNER_COLUMNS = ["region", *MARGINS, "group6"]
PEER_SCRIPTS = {
    "svy": HERE / "peers" / "svy_steps.py",
}


def run_ours(folder: Path) -> None:
    """Worker: our engine's steps on the workload in `folder` (prints the JSON report)."""
    from observatoire.survey import Design, mean, rake
    from observatoire.survey.banner import Band, Question, banner

    steps = Steps("observatoire", folder)
    margins = {m: {int(k): v for k, v in levels.items()} for m, levels in steps.targets.items()}
    design = steps.run(
        "design", lambda: Design.from_frame(steps.frame, strata="region", weights="w0")
    )
    raked = steps.run("rake", lambda: rake(design, margins, max_iter=100, epsilon=1e-10))
    means = steps.run("means", lambda: mean(raked, QUESTIONS))
    by = steps.run("by", lambda: mean(raked, QUESTIONS, by="group6"))
    bands = (Band("1–5", 1, 5), Band("6–7", 6, 7), Band("8–10", 8, 10))  # the workload's
    questions = [Question(name, kind="scale", bands=bands) for name in QUESTIONS]
    table = steps.run("banner", lambda: banner(raked, questions, BANNER_COLUMNS)).table
    by_table = by.table.sort("group6", "variable")
    steps.emit(
        max_gap=steps.max_gap(raked.weights),
        means=means.table.get_column("estimate").to_list(),
        means_se=means.table.get_column("se").to_list(),
        by_levels=[str(v) for v in by_table.get_column("group6").unique(maintain_order=True)],
        by_est=by_table.get_column("estimate").to_list(),
        by_se=by_table.get_column("se").to_list(),
        banner_cells=table.height,
    )


def _command(engine: str, folder: Path, args: argparse.Namespace, rows: int) -> list[str]:
    if engine == "ours":
        return [sys.executable, str(Path(__file__).resolve()), "--worker", str(folder)]
    if engine == "r":
        return ["Rscript", str(HERE / "r" / "survey_engine.R"), str(folder), str(rows)]
    return [args.peers_python, str(PEER_SCRIPTS[engine]), str(folder)]


def run_child(command: list[str]) -> tuple[dict[str, Any] | None, float, str]:
    """Run one engine; return its report, its peak memory (MiB) and its error text."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode().strip().splitlines()
        error = err.read().decode().strip()
    peak = usage.ru_maxrss / 1024
    if process.returncode != 0 or not lines:
        return None, peak, error.splitlines()[-1] if error else f"exit {process.returncode}"
    return json.loads(lines[-1]), peak, ""


def _relative(a: list[float], b: list[float]) -> float:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(x - y) / np.abs(y)))


def agreement(peer: dict[str, Any], ours: dict[str, Any]) -> str:
    """Largest relative differences of the peer's estimates and SEs from ours."""
    return (
        f"means {_relative(peer['means'], ours['means']):.1e}, "
        f"SE {_relative(peer['means_se'], ours['means_se']):.1e}; "
        f"by-domain means {_relative(peer['by_est'], ours['by_est']):.1e}, "
        f"SE {_relative(peer['by_se'], ours['by_se']):.1e}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peers", default="", help="comma-separated: r, svy")
    parser.add_argument("--r-rows", type=int, default=None, help="run R on fewer rows")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()))
    venv = Path(
        os.environ.get("OBSERVATOIRE_PEERS_VENV", Path.home() / ".cache/observatoire/peers-venv")
    )
    parser.add_argument("--peers-python", default=str(venv / "bin" / "python"))
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_ours(args.worker)
        return

    peers = [p.strip().lower() for p in args.peers.split(",") if p.strip()]
    unknown = set(peers) - {"r", *PEER_SCRIPTS}
    if unknown:
        parser.error(f"unknown peer(s) {', '.join(sorted(unknown))}; known: r, svy")

    def folder_for(rows: int) -> Path:
        path = args.data_dir / f"observatoire-bench-{rows}-{args.seed}"
        return generate(rows, args.seed, path)

    folder = folder_for(args.rows)
    print(f"workload: {args.rows:,} rows, seed {args.seed}, {folder}")
    reports: dict[str, dict[str, Any]] = {}
    peaks: dict[str, float] = {}
    scale: dict[str, float] = {}
    ours, peaks["ours"], error = run_child(_command("ours", folder, args, args.rows))
    if ours is None:
        sys.exit(f"our engine failed: {error}")
    reports["ours"] = ours
    for peer in peers:
        rows = args.r_rows if peer == "r" and args.r_rows else args.rows
        peer_folder = folder if rows == args.rows else folder_for(rows)
        report, peaks[peer], error = run_child(_command(peer, peer_folder, args, rows))
        if report is None:
            print(f"{peer}: failed ({error})")
            continue
        reports[peer] = report
        scale[peer] = args.rows / rows
        if rows != args.rows:
            small, _, _ = run_child(_command("ours", peer_folder, args, rows))
            report["reference"] = small
            print(
                f"{peer}: run on {rows:,} rows, times extrapolated linearly ×{scale[peer]:g} "
                f"to {args.rows:,} rows"
            )
    print_table(reports, peaks, scale)
    ours_time = sum(ours["timings"][s] for s in RATIO_STEPS)
    ours_cpu = sum(ours["cpu"][s] for s in RATIO_STEPS)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"observatoire rake+means+by: {ours_time:.3f} s ({ours_cpu:.3f} s CPU); load {load}")
    ratios = {}
    for peer in ("r", "svy"):
        report = reports.get(peer)
        if report is None:
            ratios[peer] = "na"
            continue
        peer_time = sum(report["timings"][s] for s in RATIO_STEPS) * scale[peer]
        ratios[peer] = f"{peer_time / ours_time:.1f}"
    print(f"ratio_vs_r={ratios['r']} ratio_vs_svy={ratios['svy']}")


def print_table(
    reports: dict[str, dict[str, Any]], peaks: dict[str, float], scale: dict[str, float]
) -> None:
    """Seconds and peak memory per step and engine, margin gaps and agreement with ours."""
    print(f"{'engine':<18}{'step':<8}{'seconds':>10}{'peak MiB':>10}{'CPU s':>8}{'load':>6}")
    for name, report in reports.items():
        factor = scale.get(name, 1.0)
        for step in STEPS:
            if step not in report["timings"]:
                continue
            seconds = report["timings"][step] * factor
            peak = report.get("peak_mb", {}).get(step)
            mark = " (extrapolated)" if factor != 1.0 else ""
            peak_text = f"{peak:10.0f}" if peak is not None else f"{'-':>10}"
            cpu, load = report.get("cpu", {}).get(step), report.get("load", {}).get(step)
            cpu_text = f"{cpu * factor:8.3f}" if cpu is not None else f"{'-':>8}"
            load_text = f"{load:6.2f}" if load is not None else f"{'-':>6}"
            print(
                f"{report['engine']:<18}{step:<8}{seconds:10.3f}{peak_text}{cpu_text}{load_text}"
                f"{mark}"
            )
        print(f"{report['engine']:<18}{'process':<8}{'':>10}{peaks[name]:10.0f}")
    for report in reports.values():
        print(f"{report['engine']}: largest remaining relative margin gap {report['max_gap']:.1e}")
    for name, report in reports.items():
        if name == "ours":
            continue
        reference = report.get("reference") or reports["ours"]
        print(f"{report['engine']} vs ours (relative): {agreement(report, reference)}")


if __name__ == "__main__":
    main()
