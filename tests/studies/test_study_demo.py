"""The demo step of `observatoire demo`: generate if missing, run unless current, say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.studies import demo


def test_the_demo_step_generates_missing_data_runs_once_and_then_skips(
    demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (demo_copy / "data").iterdir():
        path.unlink()
    out = tmp_path / "published"
    runs: list[Path] = []

    def fake_run(folder: Path, target: Path, progress: object) -> None:
        runs.append(folder)
        target.mkdir()
        (target / "results.parquet").write_bytes(b"")

    monkeypatch.setattr(demo, "demo_folder", lambda: demo_copy)
    monkeypatch.setattr(demo, "published_folder", lambda: out)
    monkeypatch.setattr(demo, "run_study", fake_run)
    said: list[str] = []
    assert demo.publish_demo(said.append) == out
    assert len(list((demo_copy / "data").iterdir())) == 2
    assert runs == [demo_copy]
    assert f"outputs: {out}" in said[-1]
    demo.publish_demo(said.append)
    assert runs == [demo_copy]
    assert said[-1] == f"  up to date: {out}"


def test_the_actors_demo_generates_its_data_runs_once_and_then_skips(
    actors_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (actors_copy / "data").iterdir():
        path.unlink()
    out = tmp_path / "published-acteurs"
    runs: list[Path] = []

    def fake_run(folder: Path, target: Path, progress: object) -> None:
        runs.append(folder)
        target.mkdir(exist_ok=True)
        (target / "results.parquet").write_bytes(b"")

    monkeypatch.setattr(demo, "demo_folder", lambda name=demo.DEMO: actors_copy)
    monkeypatch.setattr(demo, "published_folder", lambda name=demo.DEMO: out)
    monkeypatch.setattr(demo, "run_study", fake_run)
    said: list[str] = []
    assert demo.publish_actors_demo(said.append) == out
    assert sorted(p.name for p in (actors_copy / "data").iterdir()) == [
        "associations.csv", "elus.csv", "entreprises.csv", "fondations.csv",
    ]  # fmt: skip
    assert runs == [actors_copy] and "regards-croises.pdf" in said[-1]
    demo.publish_actors_demo(said.append)
    assert runs == [actors_copy] and said[-1].startswith(f"  up to date: {out}")
    (actors_copy.parent / "impact-citoyens" / "study.yaml").touch()  # the citizens changed
    demo.publish_actors_demo(said.append)
    assert runs == [actors_copy, actors_copy]
