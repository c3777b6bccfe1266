"""Study fixtures: the demo study shipped with the project, and throwaway copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "studies" / "impact-citoyens"


@pytest.fixture
def demo() -> Path:
    """The demo study folder (read only)."""
    return DEMO


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A copy of the demo study that a test may break."""
    folder = tmp_path / "impact-citoyens"
    shutil.copytree(DEMO, folder)
    return folder


ACTORS = DEMO.parent / "impact-acteurs"


@pytest.fixture
def actors() -> Path:
    """The multi-population demo study IMPACT-Acteurs (read only)."""
    return ACTORS


@pytest.fixture
def actors_copy(tmp_path: Path) -> Path:
    """Copies of IMPACT-Acteurs and of the citizens' study it reads, side by side."""
    shutil.copytree(DEMO, tmp_path / DEMO.name)
    folder = tmp_path / ACTORS.name
    shutil.copytree(ACTORS, folder)
    return folder
