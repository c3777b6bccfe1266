"""What killed runs leave beside OUT is removed by the next run (issue 9, "a half-built study
takes the site down": an interrupted `study run` left `.<study>.building-*/` under the published
folder, and nothing ever removed it)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from observatoire.studies import run as run_module
from observatoire.studies.run import remove_leftovers, run_study

DEMO = Path(__file__).resolve().parents[2] / "studies" / "impact-citoyens"


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.fixture
def quick_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that computes nothing and writes one file (the folder logic is what is tested)."""

    def write(results: object, work: Path, progress: object) -> list[Path]:
        (work / "results.parquet").write_text("new")
        return [work / "results.parquet"]

    monkeypatch.setattr(run_module, "validate_study", lambda folder: (None, {}))
    monkeypatch.setattr(run_module, "compute_study", lambda study, waves, progress: None)
    monkeypatch.setattr(run_module, "_write_outputs", write)


def test_an_interrupted_run_leaves_a_building_folder_that_the_next_run_removes(
    tmp_path: Path, quick_run: None
) -> None:
    out = tmp_path / "published" / "impact-citoyens"
    out.mkdir(parents=True)
    (out / "results.parquet").write_text("previous")
    killed = out.parent / f".impact-citoyens.building-{_dead_pid()}-x1y2"
    killed.mkdir()
    (killed / "results.parquet").write_text("half-written")
    older = out.parent / ".impact-citoyens.building-k2j3"  # named before runs carried their pid
    older.mkdir()
    run_study(DEMO, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["impact-citoyens"]
    assert (out / "results.parquet").read_text() == "new"


def test_a_live_runs_folder_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "impact-citoyens"
    live = tmp_path / f".impact-citoyens.building-{os.getppid()}-abcd"
    live.mkdir()
    assert remove_leftovers(out) == []
    assert live.is_dir()


def test_a_run_killed_while_swapping_gets_its_previous_output_back(tmp_path: Path) -> None:
    out = tmp_path / "impact-citoyens"
    set_aside = tmp_path / f".impact-citoyens.previous-{_dead_pid()}-abcd"
    set_aside.mkdir()
    (set_aside / "results.parquet").write_text("previous")
    remove_leftovers(out)
    assert (out / "results.parquet").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["impact-citoyens"]
