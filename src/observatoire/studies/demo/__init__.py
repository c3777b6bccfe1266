"""The demo studies shipped with the project, as `observatoire demo` (make run) prepares them.

Their respondents are synthetic: `generate` draws the IMPACT-Citoyens ones from a latent model
tuned by `targets` to reproduce the published figures; `actors` draws the IMPACT-Acteurs ones
(local elected officials, companies, associations, foundations), whose citizens are read from
IMPACT-Citoyens. `ensure_data` writes a study's data files when they are missing; `fingerprint`
digests what its results are computed from, so that the platform publishes a demo study again
only when its sources changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from observatoire.errors import ObservatoireError
from observatoire.paths import data_dir, project_root
from observatoire.studies.demo.actors import generate_actors_demo
from observatoire.studies.demo.generate import generate_demo
from observatoire.studies.spec.model import STUDY_FILE, load_study
from observatoire.studies.spec.populations import is_multi_population, load_multi_study

DEMO = "impact-citoyens"
ACTORS = "impact-acteurs"
DEMO_STUDIES = (DEMO, ACTORS)  # in the order they are computed: the actors read the citizens

Say = Callable[[str], None]


def demo_folder(name: str = DEMO) -> Path:
    root = project_root()
    folder = root / "studies" / name if root is not None else None
    if folder is None or not (folder / STUDY_FILE).is_file():
        raise ObservatoireError(f"the demo study folder studies/{name} is not in this checkout")
    return folder


def published_folder(name: str = DEMO) -> Path:
    """Where `observatoire demo` runs the study (its OUT, published from there)."""
    return data_dir() / "published" / name


def data_files(name: str = DEMO) -> list[Path]:
    """The study's own respondents' files, where study.yaml names them."""
    folder = demo_folder(name)
    if is_multi_population(folder):
        multi = load_multi_study(folder)
        return [multi.data_path(p) for p in multi.populations if not p.external]
    study = load_study(folder)
    return [study.wave_path(w) for w in study.waves]


def sources(name: str = DEMO) -> list[Path]:
    """The files a demo study's results are computed from: its definition and data, and for a
    study of several populations its universes and the studies it reads (the citizens')."""
    folder = demo_folder(name)
    if not is_multi_population(folder):
        return [folder / STUDY_FILE, *data_files(name)]
    found = [*sorted(folder.glob("*.yaml")), *sorted(folder.glob("universes/*.yaml"))]
    found += data_files(name)
    for population in load_multi_study(folder).populations:
        if population.study is not None:  # read from another study: its definition and data
            read = load_study(population.study)
            found += [population.study / STUDY_FILE, *(read.wave_path(w) for w in read.waves)]
    return found


def ensure_data(name: str = DEMO, say: Say = print) -> None:
    """Write the demo study's synthetic respondents where study.yaml names them, if missing."""
    if all(path.is_file() for path in data_files(name)):
        return
    folder = demo_folder(name)
    generate = generate_actors_demo if is_multi_population(folder) else generate_demo
    for path in generate(folder):
        say(f"  generated {path}")


def fingerprint(name: str = DEMO) -> str:
    """A digest of the study's sources (names and contents)."""
    digest = hashlib.sha256()
    for path in sources(name):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()
