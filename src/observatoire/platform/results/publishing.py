"""Publishing a study run into the platform, and withdrawing a wave of it.

`publish(OUT)` reads the run's `results.parquet` and `results.json` through the results contract
(a broken run is refused with the file and the column, before anything changes), copies every
file of the run into Django's storage under a prefix of its own, then, in one transaction,
replaces the study's previous publication by the new one and its rows. Until that transaction
commits, readers see the previous publication whole; if it fails, nothing of the new one is
visible and its files are removed. Files a previous publish left behind (interrupted between the
copy and the transaction) are removed by the next publish of the study.
"""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import polars as pl
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform.results.models import PATH, Document, Publication, ResultRow
from observatoire.results_contract import (
    CHANGE,
    COLUMNS,
    METADATA,
    PARQUET,
    ResultsInvalid,
    read_published,
)

PREFIX = "results"  # storage prefix of every published document
BATCH = 2_000
# The contract's columns as stored: `study` is the publication's, not repeated on each row.
ROW_COLUMNS = tuple(c.name for c in COLUMNS if c.name != "study")

Say = Callable[[str], None]


def storage() -> Storage:
    return storages["default"]


@dataclass(frozen=True)
class Published:
    study: str
    waves: tuple[str, ...]
    rows: int
    documents: int
    replaced: bool  # a previous publication of the study was replaced


def publish(
    folder: Path | str,
    *,
    documents_pending: bool = False,
    fingerprint: str = "",
    say: Say = lambda _line: None,
) -> Published:
    """Publish the run in `folder` (the OUT of `observatoire study run`).

    `documents_pending` says that the run's documents are still being rendered and will come
    with a later publication of the same results (the demo renders them after serving).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder: publish the OUT folder of `observatoire study run`",
                         file=str(folder))  # fmt: skip
    run = read_published(folder)
    code = str(run.meta.get("study") or "")
    frame = run.results.frame
    _check_rows(frame, code, folder / PARQUET)
    files = list(_documents(folder))
    uid = secrets.token_hex(16)
    store = storage()
    stored: list[Document] = []
    previous: Publication | None = None
    try:
        for relative, path in files:
            with path.open("rb") as handle:
                name = store.save(_storage_name(code, uid, relative), File(handle))
            stored.append(Document(path=relative, name=name, size=path.stat().st_size,
                                   content_type=_content_type(relative)))  # fmt: skip
        say(f"  copied {len(stored)} documents into the storage")
        with transaction.atomic():
            previous = Publication.objects.select_for_update().filter(study=code).first()
            if previous is not None:
                _delete(previous)
            publication = Publication.objects.create(
                study=code,
                uid=uid,
                title=str(run.meta.get("title") or code)[:500],
                meta=run.meta,
                waves=list(run.results.waves),
                synthetic=bool(run.meta.get("synthetic")),
                source=str(folder.resolve())[:1000],
                fingerprint=fingerprint,
                documents_pending=documents_pending,
                rows_count=frame.height,
            )
            _insert_rows(publication, frame)
            for document in stored:
                document.publication = publication
            Document.objects.bulk_create(stored, batch_size=BATCH)
            transaction.on_commit(lambda: remove_leftovers(code))
    except BaseException:
        for document in stored:
            store.delete(document.name)
        raise
    return Published(code, run.results.waves, frame.height, len(stored), previous is not None)


def unpublish(study: str, wave: str) -> str:
    """Withdraw one wave of a published study; what was withdrawn, in one sentence.

    The wave's rows go, with the rows of the next wave that compare with it (its changes), and
    the run's documents, which show the wave. Withdrawing the only wave withdraws the study.
    """
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(study=study).first()
        if publication is None:
            known = ", ".join(Publication.objects.values_list("study", flat=True)) or "none"
            raise InputError(f"no published study {study!r} (published: {known})", field="study")
        waves = list(publication.waves)
        if wave not in waves:
            raise InputError(f"study {study!r} has no published wave {wave!r} (published waves: "
                             f"{', '.join(waves)})", field="wave")  # fmt: skip
        if waves == [wave]:
            _delete(publication)
            return f"withdrew {study}: {wave} was its only published wave"
        index = waves.index(wave)
        rows = publication.rows.filter(wave=wave)
        if index + 1 < len(waves):  # the next wave's changes are measured against this one
            rows = rows | publication.rows.filter(wave=waves[index + 1], indicator__endswith=CHANGE)
        removed, _ = rows.delete()
        documents = list(publication.documents.values_list("name", flat=True))
        publication.documents.all().delete()
        waves.remove(wave)
        publication.waves = waves
        publication.meta = {
            **publication.meta,
            "waves": [w for w in publication.meta.get("waves", []) if str(w.get("id")) != wave],
        }
        publication.rows_count -= removed
        publication.documents_pending = False
        publication.uid = secrets.token_hex(16)  # readers cache a publication by its uid
        publication.save()
        transaction.on_commit(lambda: _delete_files(documents))
    return (f"withdrew wave {wave} of {study} ({removed} rows, with the changes measured against "
            f"it, and the run's {len(documents)} documents, which show it); published waves: "
            f"{', '.join(waves)}")  # fmt: skip


def remove_leftovers(study: str) -> None:
    """Remove the stored files of `study` that belong to no publication (an interrupted
    publish, or a replaced publication whose files could not be removed at the time)."""
    store = storage()
    folder = f"{PREFIX}/{study}"
    try:
        prefixes, _files = store.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    current = set(Publication.objects.filter(study=study).values_list("uid", flat=True))
    for prefix in prefixes:
        if prefix not in current:
            _delete_tree(store, f"{folder}/{prefix}")


def _delete(publication: Publication) -> None:
    """Delete a publication, its rows and documents; its files once the transaction commits."""
    names = list(publication.documents.values_list("name", flat=True))
    ResultRow.objects.filter(publication=publication).delete()
    publication.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    store = storage()
    for name in names:
        store.delete(name)


def _delete_tree(store: Storage, folder: str) -> None:
    folders, files = store.listdir(folder)
    for name in files:
        store.delete(f"{folder}/{name}")
    for sub in folders:
        _delete_tree(store, f"{folder}/{sub}")
    if hasattr(store, "path"):  # a file-system storage keeps empty folders: remove them
        Path(store.path(folder)).rmdir()


def _storage_name(study: str, uid: str, relative: str) -> str:
    return f"{PREFIX}/{study}/{uid}/{relative}"


def _content_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _documents(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file of the run as (relative POSIX path, path), hidden files left out; a link or a
    path too long for the platform is refused, naming it."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_symlink():
            raise InputError("a run's files are its own: links are not published", file=str(path))
        if not path.is_file():
            continue
        text = str(PurePosixPath(*relative.parts))
        if len(text) > PATH:
            raise InputError(f"path longer than {PATH} characters", file=str(path))
        yield text, path


def _check_rows(frame: pl.DataFrame, study: str, file: Path) -> None:
    """What the contract leaves to the database: one study per run, named in results.json,
    strings that fit their columns without NUL bytes, finite numbers."""
    if not study:
        raise ResultsInvalid("no study code ('study')", file=str(file.with_name(METADATA)))
    others = sorted(set(frame["study"].unique().to_list()) - {study})
    if others:
        raise ResultsInvalid(f"rows of studies {others}, but results.json publishes {study!r}",
                             file=str(file), column="study")  # fmt: skip
    for field in ResultRow._meta.get_fields():
        name = field.name
        if name not in frame.columns:
            continue
        column = frame[name]
        limit = getattr(field, "max_length", None)
        if limit and column.dtype == pl.String:
            too_long = column.str.len_chars() > limit
            if too_long.any():
                raise ResultsInvalid(f"{too_long.sum()} value(s) longer than {limit} characters",
                                     file=str(file), column=name)  # fmt: skip
            if column.str.contains("\x00", literal=True).any():
                raise ResultsInvalid("a value holds a NUL byte", file=str(file), column=name)
        elif column.dtype == pl.Float64:
            not_finite = column.is_nan() | column.is_infinite()
            if not_finite.any():
                raise ResultsInvalid(f"{not_finite.sum()} value(s) not finite (NaN or infinite)",
                                     file=str(file), column=name)  # fmt: skip


def _insert_rows(publication: Publication, frame: pl.DataFrame) -> None:
    present = [name for name in ROW_COLUMNS if name in frame.columns]
    ResultRow.objects.bulk_create(
        (
            ResultRow(publication=publication, **dict(zip(present, values, strict=True)))
            for values in frame.select(present).iter_rows()
        ),
        batch_size=BATCH,
    )
