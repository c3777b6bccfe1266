"""NumPy's huge-page advice is off inside the engine's heavy calls where it stalls, and restored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from observatoire.survey import Design, mean, memory


def _advice() -> bool:
    """NumPy's current huge-page advice (its switch returns the previous value)."""
    switch = np._core.multiarray._set_madvise_hugepage
    value = switch(True)
    switch(value)
    return bool(value)


@pytest.mark.parametrize(
    ("mode", "stalls"),
    [
        ("always defer defer+madvise [madvise] never\n", True),
        ("always defer [defer+madvise] madvise never\n", True),
        ("always [defer] defer+madvise madvise never\n", False),
        ("always defer defer+madvise madvise [never]\n", False),
    ],
)
def test_advice_is_off_inside_only_where_it_stalls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, stalls: bool
) -> None:
    defrag = tmp_path / "defrag"
    defrag.write_text(mode)
    monkeypatch.setattr(memory, "DEFRAG", defrag)
    memory.advice_stalls.cache_clear()
    try:
        before = _advice()
        with memory.small_pages():
            assert _advice() == (before and not stalls)
        assert _advice() == before
        with pytest.raises(ZeroDivisionError), memory.small_pages():
            1 / 0  # noqa: B018
        assert _advice() == before
    finally:
        memory.advice_stalls.cache_clear()


def test_no_defrag_file_leaves_numpy_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "DEFRAG", tmp_path / "absent")
    memory.advice_stalls.cache_clear()
    try:
        assert not memory.advice_stalls()
    finally:
        memory.advice_stalls.cache_clear()


def test_estimates_do_not_depend_on_the_advice() -> None:
    rows = np.arange(600_000)
    frame = pl.DataFrame({"y": (rows % 7).astype(np.float64), "g": rows % 3})
    design = Design.from_frame(frame)
    inside = mean(design, "y", by="g").table
    switch = np._core.multiarray._set_madvise_hugepage
    previous = switch(True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(memory, "advice_stalls", lambda: False)
            outside = mean(design, "y", by="g").table
    finally:
        switch(previous)
    assert inside.equals(outside)
