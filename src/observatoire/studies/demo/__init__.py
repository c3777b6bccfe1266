"""The demo study shipped with the project, as `observatoire demo` (make run) prepares it.

Its respondents are synthetic: `generate` draws them from a latent model tuned by `targets`
to reproduce the published IMPACT-Citoyens figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from observatoire.errors import ObservatoireError
from observatoire.paths import data_dir, project_root
from observatoire.studies.demo.generate import generate_demo
from observatoire.studies.run import run_study
from observatoire.studies.spec.model import STUDY_FILE, load_study

DEMO = "impact-citoyens"


def demo_folder() -> Path:
    root = project_root()
    folder = root / "studies" / DEMO if root is not None else None
    if folder is None or not (folder / STUDY_FILE).is_file():
        raise ObservatoireError(f"the demo study folder studies/{DEMO} is not in this checkout")
    return folder


def published_folder() -> Path:
    return data_dir() / "published" / DEMO


def publish_demo(say: Callable[[str], None] = print) -> Path:
    """Generate the demo data if missing, then run the study unless its outputs are current."""
    folder = demo_folder()
    study = load_study(folder)
    if not all(study.wave_path(w).is_file() for w in study.waves):
        for path in generate_demo(folder):
            say(f"  generated {path}")
    out = published_folder()
    sources = [folder / STUDY_FILE, *(study.wave_path(w) for w in study.waves)]
    results = out / "results.parquet"
    if results.is_file() and results.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        say(f"  up to date: {out}")
        return out
    run_study(folder, out, lambda label: say(f"  {label}"))
    say(f"  outputs: {out} (summary.pdf, report.html, tables.xlsx, regions/, charts/)")
    return out
