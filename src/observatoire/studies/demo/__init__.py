"""The demo studies shipped with the project, as `observatoire demo` (make run) prepares them.

Their respondents are synthetic: `generate` draws the IMPACT-Citoyens ones from a latent model
tuned by `targets` to reproduce the published figures; `actors` draws the IMPACT-Acteurs ones
(local elected officials, companies, associations, foundations), whose citizens are read from
IMPACT-Citoyens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from observatoire.errors import ObservatoireError
from observatoire.paths import data_dir, project_root
from observatoire.studies.demo.actors import generate_actors_demo
from observatoire.studies.demo.generate import generate_demo
from observatoire.studies.run import run_study
from observatoire.studies.spec.model import STUDY_FILE, load_study
from observatoire.studies.spec.populations import load_multi_study

DEMO = "impact-citoyens"
ACTORS = "impact-acteurs"

Say = Callable[[str], None]


def demo_folder(name: str = DEMO) -> Path:
    root = project_root()
    folder = root / "studies" / name if root is not None else None
    if folder is None or not (folder / STUDY_FILE).is_file():
        raise ObservatoireError(f"the demo study folder studies/{name} is not in this checkout")
    return folder


def published_folder(name: str = DEMO) -> Path:
    return data_dir() / "published" / name


def publish_demo(say: Say = print) -> Path:
    """IMPACT-Citoyens: generate the data if missing, run the study unless its outputs are
    current."""
    folder = demo_folder()
    study = load_study(folder)
    if not all(study.wave_path(w).is_file() for w in study.waves):
        for path in generate_demo(folder):
            say(f"  generated {path}")
    sources = [folder / STUDY_FILE, *(study.wave_path(w) for w in study.waves)]
    written = "summary.pdf, report.html, tables.xlsx, regions/, charts/"
    return _publish(folder, published_folder(), sources, say, written)


def publish_actors_demo(say: Say = print) -> Path:
    """IMPACT-Acteurs, after IMPACT-Citoyens (whose citizens it reads): generate the actors'
    data if missing, run the study unless its outputs are current."""
    folder = demo_folder(ACTORS)
    study = load_multi_study(folder)
    files = [study.data_path(p) for p in study.populations if not p.external]
    if not all(path.is_file() for path in files):
        for path in generate_actors_demo(folder):
            say(f"  generated {path}")
    sources = [
        folder / STUDY_FILE,
        *folder.glob("*.yaml"),
        *folder.glob("universes/*.yaml"),
        *files,
    ]
    for population in study.populations:
        if population.study is not None:  # the citizens' study and its data
            sources += [population.study / STUDY_FILE, *population.study.glob("data/*.csv")]
    written = "regards-croises.pdf, report.html, tables.xlsx, charts/"
    return _publish(folder, published_folder(ACTORS), sources, say, written)


def _publish(folder: Path, out: Path, sources: list[Path], say: Say, written: str) -> Path:
    """Run the study into `out` unless its results are newer than every source file."""
    results = out / "results.parquet"
    if results.is_file() and results.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        say(f"  up to date: {out}")
        return out
    run_study(folder, out, lambda label: say(f"  {label}"))
    say(f"  outputs: {out} ({written})")
    return out
