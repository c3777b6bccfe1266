"""The published studies as the pages and the API read them: from the database, never microdata.

`studies()` and `load(code)` give each study's publication with its rows as the results
contract's reader (`Results`), built once per process and publication (keyed by the
publication's uid, which changes whenever the publication does), and its documents, opened
through Django's storage. `figures(...)` is the stable lookup of published figures for other
apps (the diagnostic's peers).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl

from observatoire import territory
from observatoire.platform.results.memo import Memo
from observatoire.platform.results.models import Document, Publication, ResultRow
from observatoire.platform.results.publishing import ROW_COLUMNS, storage
from observatoire.results_contract import SCHEMA, Results, Row

CACHED = 8  # publications kept in memory per process


@dataclass(frozen=True)
class StoredDocument:
    path: str
    name: str
    size: int
    content_type: str

    def open(self) -> Any:
        return storage().open(self.name, "rb")


@dataclass(frozen=True)
class PublishedStudy:
    code: str
    uid: str
    meta: dict[str, Any]
    results: Results
    documents: dict[str, StoredDocument]  # by path in the run ("regions/52.pdf")
    documents_pending: bool
    published_at: datetime

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.code))

    @property
    def synthetic(self) -> bool:
        return bool(self.meta.get("synthetic"))

    @property
    def notice(self) -> str:
        return str(self.meta.get("notice") or "")

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

    def document(self, path: str) -> StoredDocument | None:
        """A document of the run by its path ("regions/52.pdf"), or None."""
        return self.documents.get(path)


def _collation_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def studies() -> list[PublishedStudy]:
    """Every published study, in code order."""
    current = Publication.objects.order_by("study").values_list("pk", "uid")
    return [_cached(pk, uid) for pk, uid in current]


def by_region() -> PublishedStudy | None:
    """The first published study read by study region, one population (IMPACT-Citoyens): the
    one the home page and /resultats/ open on."""
    return next(
        (s for s in studies() if not s.several_populations and s.results.territories()), None
    )


def crossreading_study() -> PublishedStudy | None:
    """The first published study of several populations, if any (the "Regards croisés")."""
    return next((s for s in studies() if s.several_populations), None)


def load(code: str) -> PublishedStudy | None:
    """The study published under `code`, or None."""
    found = Publication.objects.filter(study=code).values_list("pk", "uid").first()
    return None if found is None else _cached(*found)


def figures(
    study: str,
    question: str,
    *,
    indicators: tuple[str, ...] = ("share",),
    wave: str | None = None,
    **domain: str | None,
) -> list[Row]:
    """Published rows of one question of one study (latest wave unless named), in questionnaire
    order, for each domain value named (`territory`, `population`, `profile`, `profile_level`;
    a domain left out means all respondents of France); [] when the study is not published.

    The stable way for another app to read published figures, e.g. the shares of an answer by
    study region: `figures("impact-citoyens", "Q2", territory="52")`.
    """
    published = load(study)
    if published is None:
        return []
    results = published.results
    return [
        row
        for row in results.rows(indicators, wave=wave or results.latest, **domain)
        if row["question"] == question
    ]


_cache: Memo[PublishedStudy] = Memo(CACHED)


def _cached(pk: int, uid: str) -> PublishedStudy:
    return _cache.get(uid, lambda: _read(pk))


def _read(pk: int) -> PublishedStudy:
    publication = Publication.objects.get(pk=pk)
    values = ResultRow.objects.filter(publication_id=pk).order_by("pk").values_list(*ROW_COLUMNS)
    schema = {name: SCHEMA[name] for name in ROW_COLUMNS}
    frame = pl.DataFrame(list(values), schema=schema, orient="row").with_columns(
        study=pl.lit(publication.study)
    )
    documents = {
        d.path: StoredDocument(d.path, d.name, d.size, d.content_type)
        for d in Document.objects.filter(publication_id=pk)
    }
    return PublishedStudy(
        code=publication.study,
        uid=publication.uid,
        meta=publication.meta,
        results=Results(frame, publication.waves),
        documents=documents,
        documents_pending=publication.documents_pending,
        published_at=publication.published_at,
    )
