"""Published study outputs: what the pipeline wrote under `PUBLISHED_DIR/<study>/`.

The platform never sees microdata: it reads the tidy aggregates through the results contract
(`observatoire.results_contract.read_published`) and serves the rendered documents. A study is
read once per version of its files; one that breaks the contract is left out, with a log line.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from observatoire import territory
from observatoire.results_contract import METADATA, PARQUET, Results, ResultsInvalid, read_published

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishedStudy:
    code: str
    folder: Path
    meta: dict[str, Any]
    results: Results

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.code))

    @property
    def latest_wave(self) -> str:
        return self.results.latest

    @property
    def previous_wave(self) -> str | None:
        return self.results.previous

    @property
    def several_populations(self) -> bool:
        """A study of several populations read side by side (IMPACT-Acteurs)."""
        return len(self.results.populations) > 1

    def regions(self) -> list[tuple[str, str]]:
        """(code, name) of the study regions present, in alphabetical order of name."""
        named = [(code, territory.study_region_name(code)) for code in self.results.territories()]
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
    found = [load(p.name) for p in sorted(root.iterdir()) if (p / PARQUET).is_file()]
    return [s for s in found if s is not None]


def primary() -> PublishedStudy | None:
    """The study the results index and the home page open on: the first one of a single
    population (the citizens), else the first one."""
    found = studies()
    return next((s for s in found if not s.several_populations), found[0] if found else None)


def crossreading_study() -> PublishedStudy | None:
    """The first published study of several populations, if any (the "Regards croisés")."""
    return next((s for s in studies() if s.several_populations), None)


def load(code: str) -> PublishedStudy | None:
    """The study published under `code`, or None if there is none or it breaks the contract."""
    folder = published_dir() / code
    parquet, meta = folder / PARQUET, folder / METADATA
    if not parquet.is_file() or not meta.is_file():
        return None
    try:
        return _load(str(folder), parquet.stat().st_mtime_ns, meta.stat().st_mtime_ns)
    except ResultsInvalid as error:
        log.error("published study %s left out: %s", code, error)
        return None


@lru_cache(maxsize=8)
def _load(folder: str, _parquet_version: int, _meta_version: int) -> PublishedStudy:
    published = read_published(Path(folder))
    return PublishedStudy(
        published.folder.name, published.folder, published.meta, published.results
    )
