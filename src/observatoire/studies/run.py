"""`observatoire study run`: validate, weight, compute and write every output, atomically.

Everything is built in a temporary folder next to OUT and renamed into place at the end: a
failed run leaves no OUT behind and never damages a previous one (the previous OUT is swapped
out only once the new one is complete, and put back if the swap fails).
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
    folder: Path | str, out: Path | str, progress: Progress = lambda _l: None
) -> RunReport:
    """Run the whole pipeline for the study in `folder`, publishing into `out`."""
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
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        files = _write_outputs(results, work, progress)
        progress("Publishing")
        _swap_into_place(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return RunReport(out, results, [out / f.relative_to(work) for f in files])


def _write_outputs(
    results: StudyResults | PopulationsResults, work: Path, progress: Progress
) -> list[Path]:
    files: list[Path] = []
    if isinstance(results, PopulationsResults):
        several = crossreading.PopulationsPublication(results)
        for step in crossreading.OUTPUTS:
            progress(step.step)
            files += step.write(several, work)
        return files
    publication = Publication(results)
    for output in OUTPUTS:
        progress(output.step)
        files += output.write(publication, work)
    return files


def _swap_into_place(work: Path, out: Path) -> None:
    """Rename the finished folder to OUT, keeping the previous OUT until the rename succeeded."""
    if not out.exists():
        os.rename(work, out)
        return
    previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
    previous.rmdir()
    os.rename(out, previous)
    try:
        os.rename(work, out)
    except BaseException:
        os.rename(previous, out)
        raise
    shutil.rmtree(previous, ignore_errors=True)
