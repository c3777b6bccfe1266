"""The demo studies' sources: generated when missing, digested to know when they changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.studies import demo


def test_missing_data_is_generated_and_the_fingerprint_follows_the_sources(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "demo_folder", lambda name=demo.DEMO: demo_copy)
    for path in (demo_copy / "data").iterdir():
        path.unlink()
    missing = demo.fingerprint()
    said: list[str] = []
    demo.ensure_data(say=said.append)
    assert len(list((demo_copy / "data").iterdir())) == 2 and len(said) == 2
    generated = demo.fingerprint()
    assert generated != missing
    demo.ensure_data(say=said.append)  # nothing missing: nothing written
    assert len(said) == 2 and demo.fingerprint() == generated
    (demo_copy / "study.yaml").write_text(
        (demo_copy / "study.yaml").read_text("utf-8") + "\n# edited\n", "utf-8"
    )
    assert demo.fingerprint() != generated


def test_the_actors_demo_generates_its_data_and_its_fingerprint_follows_the_citizens(
    actors_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    citizens = actors_copy.parent / demo.DEMO
    folders = {demo.DEMO: citizens, demo.ACTORS: actors_copy}
    monkeypatch.setattr(demo, "demo_folder", lambda name=demo.DEMO: folders[name])
    for path in (actors_copy / "data").iterdir():
        path.unlink()
    said: list[str] = []
    demo.ensure_data(demo.ACTORS, said.append)
    assert sorted(p.name for p in (actors_copy / "data").iterdir()) == [
        "associations.csv", "elus.csv", "entreprises.csv", "fondations.csv",
    ]  # fmt: skip
    assert len(said) == 4
    generated = demo.fingerprint(demo.ACTORS)
    demo.ensure_data(demo.ACTORS, said.append)  # nothing missing: nothing written
    assert len(said) == 4 and demo.fingerprint(demo.ACTORS) == generated
    study = citizens / "study.yaml"  # the citizens it reads changed
    study.write_text(study.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert demo.fingerprint(demo.ACTORS) != generated
