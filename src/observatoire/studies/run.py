"""`observatoire study run`: validate, weight, compute and write every output, atomically.

Everything is built in a temporary folder next to OUT and renamed into place at the end: a
failed run leaves no OUT behind and never damages a previous one (the previous OUT is swapped
out only once the new one is complete, and put back if the swap fails). A run that was killed
(no chance to clean up) leaves its building folder, and perhaps the previous OUT set aside: both
carry the id of their process, and the next run removes those of processes that are gone,
putting a set-aside OUT back if there is no OUT.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observatoire.errors import InputError
from observatoire.studies.compute import StudyResults, compute_study
from observatoire.studies.compute.populations import PopulationsResults, compute_populations
from observatoire.studies.outputs import OUTPUTS, Publication, crossreading
from observatoire.studies.spec.model import load_study
from observatoire.studies.spec.populations import is_multi_population, load_multi_study
from observatoire.studies.spec.validate import validate_populations, validate_study

Progress = Callable[[str], None]
BUILDING, PREVIOUS = "building", "previous"


@dataclass(frozen=True)
class RunReport:
    out: Path
    results: StudyResults | PopulationsResults
    files: list[Path]


def step_count(folder: Path | str) -> int:
    """How many progress steps a run of this study reports (for a progress bar's total)."""
    if is_multi_population(folder):
        populations = len(load_multi_study(folder).populations)
        return 1 + 2 * populations + 1 + len(crossreading.OUTPUTS) + 1
    waves = len(load_study(folder).waves)
    return 1 + 2 * waves + 1 + len(OUTPUTS) + 1


def run_study(
    folder: Path | str,
    out: Path | str,
    progress: Progress = lambda _l: None,
    *,
    documents: bool = True,
) -> RunReport:
    """Run the whole pipeline for the study in `folder`, publishing into `out`; without
    `documents`, only the tidy results (what the platform needs to show the figures)."""
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise InputError("the output path exists and is not a folder", file=str(out))
    progress("Validating the study")
    results: StudyResults | PopulationsResults
    if is_multi_population(folder):
        multi, populations = validate_populations(folder)
        results = compute_populations(multi, populations, progress)
    else:
        study, waves = validate_study(folder)
        results = compute_study(study, waves, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    work = Path(tempfile.mkdtemp(prefix=_temporary(out, BUILDING), dir=out.parent))
    try:
        files = (_write_outputs if documents else _write_tidy)(results, work, progress)
        progress("Publishing")
        _swap_into_place(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return RunReport(out, results, [out / f.relative_to(work) for f in files])


def _write_outputs(
    results: StudyResults | PopulationsResults, work: Path, progress: Progress
) -> list[Path]:
    return _write(results, work, progress, everything=True)


def _write_tidy(
    results: StudyResults | PopulationsResults, work: Path, progress: Progress
) -> list[Path]:
    return _write(results, work, progress, everything=False)


def _write(
    results: StudyResults | PopulationsResults, work: Path, progress: Progress, *, everything: bool
) -> list[Path]:
    """Every output of the run, or the tidy results alone (each list's first output)."""
    files: list[Path] = []
    if isinstance(results, PopulationsResults):
        several = crossreading.PopulationsPublication(results)
        for step in crossreading.OUTPUTS if everything else crossreading.OUTPUTS[:1]:
            progress(step.step)
            files += step.write(several, work)
        return files
    publication = Publication(results)
    for output in OUTPUTS if everything else OUTPUTS[:1]:
        progress(output.step)
        files += output.write(publication, work)
    return files


def _swap_into_place(work: Path, out: Path) -> None:
    """Rename the finished folder to OUT, keeping the previous OUT until the rename succeeded."""
    if not out.exists():
        os.rename(work, out)
        return
    previous = Path(tempfile.mkdtemp(prefix=_temporary(out, PREVIOUS), dir=out.parent))
    previous.rmdir()
    os.rename(out, previous)
    try:
        os.rename(work, out)
    except BaseException:
        os.rename(previous, out)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def _temporary(out: Path, kind: str) -> str:
    """The prefix of a run's temporary folder beside OUT: hidden, with the run's process id."""
    return f".{out.name}.{kind}-{os.getpid()}-"


def remove_leftovers(out: Path) -> list[Path]:
    """Remove what killed runs left beside OUT (their building folders; the previous OUT they
    had set aside, put back when OUT is missing); the folders of live runs are left alone."""
    removed = []
    for kind in (PREVIOUS, BUILDING):
        stale = [p for p in out.parent.glob(f".{out.name}.{kind}-*") if not _alive(p, kind, out)]
        for path in sorted(stale, key=lambda p: p.stat().st_mtime, reverse=True):
            if kind == PREVIOUS and not out.exists():
                os.rename(path, out)
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(path: Path, kind: str, out: Path) -> bool:
    """Whether the run that made this temporary folder is still running."""
    pid = path.name.removeprefix(f".{out.name}.{kind}-").split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
