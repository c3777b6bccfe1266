"""NumPy's transparent-huge-page advice, off while the engine works where it stalls.

NumPy asks Linux (madvise) to back every array of 4 MB or more with transparent huge pages.
Where the kernel's THP `defrag` mode makes those page faults compact memory synchronously
(`always`, `madvise` or `defer+madvise` in /sys/kernel/mm/transparent_hugepage/defrag), first
touching the engine's large temporaries cost more than the arithmetic on them on the project's
machines (1,000,000 rows, load 3.7: rake + 20 means + 20 × 6 domain means 1.67 → 1.27 s, the
banner 2.06 → 1.53 s). Calibrations, estimators and the banner therefore run with the advice
off (NumPy's own switch, the one behind `NUMPY_MADVISE_HUGEPAGE`) and restore it afterwards.
Only speed depends on it, never a result.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

DEFRAG = Path("/sys/kernel/mm/transparent_hugepage/defrag")
_STALLING = ("[always]", "[madvise]", "[defer+madvise]")


@functools.cache
def advice_stalls() -> bool:
    """Whether a huge-page fault in an madvised region compacts memory synchronously here."""
    try:
        mode = DEFRAG.read_text()
    except OSError:
        return False
    return any(stalling in mode for stalling in _STALLING)


@contextmanager
def small_pages() -> Iterator[None]:
    """NumPy without its huge-page advice inside, where the advice stalls (see the module)."""
    multiarray = getattr(getattr(np, "_core", None), "multiarray", None)
    switch = getattr(multiarray, "_set_madvise_hugepage", None)
    if switch is None or not advice_stalls():
        yield
        return
    previous = switch(False)
    try:
        yield
    finally:
        switch(previous)
