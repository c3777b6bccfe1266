"""A published study (the results' test sample), the seed alliances and the support directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from results_samples import write_run

from observatoire.platform.results.publishing import publish


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def study(media: Path, tmp_path: Path, db: None) -> None:
    publish(write_run(tmp_path / "run"))


@pytest.fixture
def seeded(study: None) -> None:
    """The seed fiches of alliances and the directory of support actors (its demo included)."""
    from observatoire.platform.alliances.content import load_seed
    from observatoire.platform.support import demo
    from observatoire.platform.support.content import load_seed as load_support

    load_seed()
    load_support()
    demo.load()
