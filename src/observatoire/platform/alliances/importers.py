"""Import of fiches from CSV or JSON, all or nothing, with a dry-run report.

Every row is validated (and checked for likely duplicates) before anything is saved; if any row is
bad, nothing is saved and the report lists each bad row. Rows are keyed by (source, import_id),
so importing the same file again updates the same fiches instead of adding copies.

The valid rows are then saved in batches of `BATCH_ROWS`, each its own transaction, so that the
live site's writers get the database between two batches (on SQLite one transaction writes at a
time: a 2,000-row import in one transaction held the lock for minutes, and every contribution
meanwhile failed). An import stopped halfway (kill -9, power cut) has saved whole fiches of whole
batches only; running it again finishes it, since re-imports are idempotent.

CSV layout: one fiche per row, with the YAML field names as columns; code lists separated by "|"
(`objectives`: "innovation-societale|co-construction-territoriale"); partners as
"name;actor_type;size;role" items separated by "|"; `timeline`, `results` and `sources` as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.alliances import records, similar
from observatoire.platform.alliances.models import State
from observatoire.platform.alliances.validation import CODE_LISTS, FicheData, clean_fiche

_PIPE_LISTS = ("territories", *CODE_LISTS)
_JSON_CELLS = ("timeline", "results", "sources")
# Columns our own exports add for readers; an import of an export ignores them.
EXPORT_ONLY = ("id", "slug", "url", "freshness", "state")
# About 0.5 s of writing per batch on this project's reference machine (benchmarks/busy_day.py).
BATCH_ROWS = 25
# The report names at most this many matches per row and rows with likely duplicates: a
# re-import under a new source name of 2,000 similar rows printed 7.5 MB.
SHOWN_MATCHES = 3
SHOWN_DUPLICATE_ROWS = 50


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass(frozen=True)
class RowDuplicate:
    row: int
    title: str
    matches: tuple[str, ...]


@dataclass
class ImportReport:
    file: str
    source: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[RowDuplicate] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.errors

    def lines(self) -> list[str]:
        """The report as text, one finding a line (the CLI prints it)."""
        verb = "would be" if self.dry_run or self.errors else "were"
        out = [
            f"{self.file}: {self.rows} row(s) read, source {self.source!r}",
            f"{self.created} fiche(s) {verb} created, {self.updated} {verb} updated, "
            f"{self.unchanged} unchanged",
        ]
        out += [f"row {e.row}: {e.message}" for e in self.errors]
        for d in self.duplicates[:SHOWN_DUPLICATE_ROWS]:
            more = len(d.matches) - SHOWN_MATCHES
            matches = ", ".join(d.matches[:SHOWN_MATCHES]) + (
                f" and {more} more" if more > 0 else ""
            )
            out.append(f"row {d.row}: likely duplicate of {matches} ({d.title})")
        if len(self.duplicates) > SHOWN_DUPLICATE_ROWS:
            rest = len(self.duplicates) - SHOWN_DUPLICATE_ROWS
            out.append(f"… and {rest} more row(s) with likely duplicates")
        if self.errors:
            out.append(f"{len(self.errors)} bad row(s): nothing was saved")
        elif self.dry_run:
            out.append("dry run: nothing was saved")
        return out


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _csv_record(row: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {k: v for k, v in row.items() if k is not None and v not in ("", None)}
    if None in row:
        raise InputError("more cells than columns")
    for name in _PIPE_LISTS:
        if name in record:
            record[name] = _split(record[name])
    if "partners" in record:
        partners = []
        for item in _split(record["partners"]):
            parts = [p.strip() for p in item.split(";")] + ["", "", ""]
            partners.append(
                {"name": parts[0], "actor_type": parts[1], "size": parts[2], "role": parts[3]}
            )
        record["partners"] = partners
    for name in _JSON_CELLS:
        if name in record:
            try:
                record[name] = json.loads(record[name])
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON ({exc.msg})", field=name) from None
    return record


def _from_export(record: Any) -> Any:
    """Drop export-only fields and take the codes of exported territories ({code, name})."""
    if not isinstance(record, dict):
        return record
    record = {k: v for k, v in record.items() if k not in EXPORT_ONLY}
    if isinstance(record.get("territories"), list):
        record["territories"] = [
            t["code"] if isinstance(t, dict) and "code" in t else t for t in record["territories"]
        ]
    return record


def read_records(path: Path) -> Iterator[tuple[int, Any]]:
    """(row number, raw record): CSV rows count from 2 (after the header), JSON items from 1."""
    content = plaindata.read_text(path)
    if path.suffix.lower() == ".json":
        items = plaindata.json_document(content, str(path))
        if isinstance(items, dict) and isinstance(items.get("results"), list):
            items = items["results"]  # our own JSON export
        if not isinstance(items, list):
            raise InputError("expected a JSON list of fiches", file=str(path))
        yield from enumerate(items, start=1)
    elif path.suffix.lower() == ".csv":
        yield from plaindata.csv_rows(content, str(path))
    else:
        raise InputError("expected a .csv or .json file", file=str(path))


def import_file(
    path: Path, source: str, *, dry_run: bool = False, actor: Any = None
) -> ImportReport:
    """Validate every row of `path`, then (unless dry run or any error) save them all at once."""
    if not source.strip():
        raise InputError("a source name is required (it keys the import with import_id)")
    report = ImportReport(file=str(path), source=source, dry_run=dry_run)
    valid: list[tuple[int, FicheData]] = []
    seen: dict[str, int] = {}
    is_csv = path.suffix.lower() == ".csv"
    for number, raw in read_records(path):
        report.rows += 1
        try:
            data = clean_fiche(_from_export(_csv_record(raw) if is_csv else raw))
            if not data.import_id:
                raise InputError(
                    "is required for an import (it makes re-imports idempotent)", field="import_id"
                )
            if data.import_id in seen:
                raise InputError(
                    f"import_id {data.import_id!r} already used on row {seen[data.import_id]}",
                    field="import_id",
                )
        except InputError as exc:
            report.errors.append(RowError(number, str(exc)))
            continue
        seen[data.import_id] = number
        valid.append((number, data))
        current = records.existing(source, data.import_id)
        if current is None:
            report.created += 1
            matches = similar.likely_duplicates(data, actor)
            if matches:
                report.duplicates.append(
                    RowDuplicate(number, data.title, tuple(m.alliance.slug for m in matches))
                )
        elif current.raw_record == data.raw:
            report.unchanged += 1
        else:
            report.updated += 1
    if report.saved:
        for start in range(0, len(valid), BATCH_ROWS):
            with transaction.atomic():
                for _, data in valid[start : start + BATCH_ROWS]:
                    records.save_fiche(data, source=source, state=State.DRAFT, actor=actor)
    return report
