"""Where the project keeps its data folder and shipped resources."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = PACKAGE_DIR.parent.parent


def project_root() -> Path | None:
    """The source checkout this package runs from, or None when installed elsewhere."""
    return _SOURCE_ROOT if (_SOURCE_ROOT / "pyproject.toml").is_file() else None


def data_dir() -> Path:
    """The instance's data folder: `OBSERVATOIRE_DATA_DIR`, else `data/` in the checkout.

    Several instances can coexist by pointing each at its own folder. Reading it creates nothing
    (settings call this at import): the steps that write into it create it.
    """
    configured = os.environ.get("OBSERVATOIRE_DATA_DIR")
    if configured:
        path = Path(configured).expanduser().resolve()
    elif (root := project_root()) is not None:
        path = root / "data"
    else:
        path = Path.home() / ".local" / "share" / "observatoire"
    return path
