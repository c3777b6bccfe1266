"""Published study outputs: what the pipeline wrote under `PUBLISHED_DIR/<study>/`.

The platform never sees microdata: it reads `results.json` (metadata), `results.parquet` (the
tidy aggregates) and serves the rendered documents. Loaded frames are cached per file version.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings

from observatoire import territory

NATIONAL = "FR"


@dataclass(frozen=True)
class PublishedStudy:
    code: str
    folder: Path
    meta: dict[str, Any]
    results: pl.DataFrame

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.code))

    @property
    def latest_wave(self) -> str:
        return str(self.meta["waves"][-1]["id"])

    @property
    def previous_wave(self) -> str | None:
        waves = self.meta["waves"]
        return str(waves[-2]["id"]) if len(waves) > 1 else None

    def region_codes(self) -> list[str]:
        codes = self.results.get_column("territory").unique().to_list()
        return sorted(c for c in codes if c != NATIONAL)

    def regions(self) -> list[tuple[str, str]]:
        """(code, name) of the study regions present, in alphabetical order of name."""
        named = [(code, territory.study_region_name(code)) for code in self.region_codes()]
        return sorted(named, key=lambda pair: _collation_key(pair[1]))

    def file(self, relative: str) -> Path | None:
        """A published file by relative path, or None (never a path outside the folder)."""
        path = (self.folder / relative).resolve()
        if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
            return None
        return path


def _collation_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def published_dir() -> Path:
    return Path(settings.PUBLISHED_DIR)


def studies() -> list[PublishedStudy]:
    """Every published study, in code order."""
    root = published_dir()
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / "results.parquet").is_file()):
        found.append(load(folder.name))
    return [s for s in found if s is not None]


def load(code: str) -> PublishedStudy | None:
    folder = published_dir() / code
    parquet, meta = folder / "results.parquet", folder / "results.json"
    if not parquet.is_file() or not meta.is_file():
        return None
    return _load(str(folder), parquet.stat().st_mtime_ns, meta.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(folder: str, _parquet_version: int, _meta_version: int) -> PublishedStudy:
    path = Path(folder)
    with (path / "results.json").open(encoding="utf-8") as handle:
        meta = json.load(handle)
    meta.pop("rows", None)
    return PublishedStudy(path.name, path, meta, pl.read_parquet(path / "results.parquet"))
