"""Fixtures of the directory of support actors: structures saved like any entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support_samples import DIRECTORY


@pytest.fixture
def make_structure(db: None) -> Callable[..., Any]:
    """Save a structure from plain data (validated like any entry), published unless told."""
    from observatoire.platform.support import records
    from observatoire.platform.support.validation import clean_structure

    def make(data: dict[str, Any], state: str = "published", source: str = "test") -> Any:
        structure, _ = records.save_structure(clean_structure(data), source=source, state=state)
        return structure

    return make


@pytest.fixture
def directory(make_structure: Callable[..., Any]) -> dict[str, Any]:
    """The small directory of support_samples, published, keyed by import id."""
    return {data["import_id"]: make_structure(data) for data in DIRECTORY}
