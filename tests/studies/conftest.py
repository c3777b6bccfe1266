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
