"""The synthetic respondents: seeded, reproducible, written where study.yaml names them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from observatoire.errors import InputError
from observatoire.studies.demo.generate import generate_demo


def test_the_same_seed_gives_the_committed_files_byte_for_byte(demo: Path, demo_copy: Path) -> None:
    for path in (demo_copy / "data").iterdir():
        path.unlink()
    written = generate_demo(demo_copy)
    assert [p.name for p in written] == ["impact-citoyens-2019.csv", "impact-citoyens-2022.csv"]
    for path in written:
        assert path.read_bytes() == (demo / "data" / path.name).read_bytes()


def test_a_study_not_marked_synthetic_is_never_overwritten(demo_copy: Path) -> None:
    path = demo_copy / "study.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    document["synthetic"] = False
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    before = (demo_copy / "data" / "impact-citoyens-2022.csv").read_bytes()
    with pytest.raises(InputError, match="synthetic"):
        generate_demo(demo_copy)
    assert (demo_copy / "data" / "impact-citoyens-2022.csv").read_bytes() == before
