"""Import of structures and services in the data·inclusion schema (JSON or CSV), all or nothing,
with a dry-run report.

Files: one JSON object {"structures": [...], "services": [...]} (our export), or a structures
file and a services file (JSON lists or CSV with the schema's column names; list cells separated
by "|"; our extension as `observatoire.<field>` columns). Every record is checked (schema, then our
validation) before anything is saved; if any is bad, nothing is saved and the report names each
bad record by file, row and field. Structures are keyed by (source, data·inclusion id): importing
the same files again changes nothing, and a changed record updates its structure in place.
Each structure keeps its provenance: source, id, licence, the raw records as received.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.support import interchange, records
from observatoire.platform.support.models import State
from observatoire.platform.support.validation import StructureData, clean_structure

LIST_COLUMNS = {
    "thematiques",
    "publics",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
    "reseaux_porteurs",
    "zone_eligibilite",
}
_EXTENSION_PREFIX = f"{interchange.EXTENSION}."
_EXTENSION_JSON = {"sources"}
_SERVICE_INDEX = re.compile(r"^services\[(\d+)\]\.?(.*)$")


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}: {self.message}"


@dataclass
class ImportReport:
    files: tuple[str, ...]
    source: str
    dry_run: bool
    structures: int = 0
    services: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.errors

    def lines(self) -> list[str]:
        """The report as text, one finding a line (the command line prints it)."""
        verb = "would be" if self.dry_run or self.errors else "were"
        out = [
            f"{', '.join(self.files)}: {self.structures} structure(s) and {self.services} "
            f"service(s) read, source {self.source!r}",
            f"{self.created} structure(s) {verb} created, {self.updated} {verb} updated, "
            f"{self.unchanged} unchanged",
        ]
        out += [str(e) for e in self.errors]
        if self.errors:
            out.append(f"{len(self.errors)} bad record(s): nothing was saved")
        elif self.dry_run:
            out.append("dry run: nothing was saved")
        return out


def _csv_record(row: dict[str | None, str]) -> dict[str, Any]:
    if None in row:
        raise InputError("more cells than columns")
    record: dict[str, Any] = {}
    extension: dict[str, Any] = {}
    for column, cell in row.items():
        name, value = str(column).strip(), (cell or "").strip()
        if not value:
            continue
        if name.startswith(_EXTENSION_PREFIX):
            key = name[len(_EXTENSION_PREFIX) :]
            if key == "notice":
                continue  # our export's reminder on fictitious rows, not data
            if key in _EXTENSION_JSON:
                try:
                    extension[key] = json.loads(value)
                except json.JSONDecodeError as exc:
                    raise InputError(f"invalid JSON ({exc.msg})", column=name) from None
            elif key in ("structure_type", "is_fictitious", "licence"):
                extension[key] = value
            else:
                extension[key] = [p.strip() for p in value.split("|") if p.strip()]
        elif name in LIST_COLUMNS:
            record[name] = [p.strip() for p in value.split("|") if p.strip()]
        else:
            record[name] = value
    if extension:
        record[interchange.EXTENSION] = extension
    return record


def read_items(path: Path, kind: str) -> list[tuple[int, Any]]:
    """(row, record) of a file: CSV rows count from 2 (after the header), JSON items from 1."""
    content = plaindata.read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = []
        for number, row in plaindata.csv_rows(content, str(path)):
            try:
                out.append((number, _csv_record(row)))
            except InputError as exc:
                raise InputError(
                    exc.message, file=str(path), row=number, column=exc.column
                ) from None
        return out
    if suffix != ".json":
        raise InputError("expected a .json or .csv file", file=str(path))
    items = plaindata.json_document(content, str(path))
    if isinstance(items, dict):
        items = items.get(kind, [])
    if not isinstance(items, list):
        raise InputError(f"expected a JSON list of {kind}", file=str(path))
    return list(enumerate(items, start=1))


def _services_by_structure(
    items: list[tuple[int, Any]], file: str, report: ImportReport
) -> dict[str, list[tuple[int, Any]]]:
    grouped: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for row, record in items:
        owner = record.get("structure_id") if isinstance(record, dict) else None
        if not isinstance(owner, str) or not owner.strip():
            report.errors.append(RowError(file, row, "field 'structure_id': is required"))
            continue
        grouped[owner.strip()].append((row, record))
    return grouped


def _clean(
    record: Any,
    services: list[tuple[int, Any]],
    files: tuple[str, str],
    row: int,
) -> StructureData:
    """Map and validate one structure with its services; errors become InputError located in
    the right file and row (a service's own row for a bad service)."""
    structure_file, service_file = files
    commune = str(record.get("code_insee") or "") if isinstance(record, dict) else ""
    mapped = []
    for service_row, service_record in services:
        try:
            mapped.append(interchange.service_from_inclusion(service_record, commune))
        except InputError as exc:
            raise InputError(
                exc.message, file=service_file, row=service_row, field=exc.field
            ) from None
    try:
        data = clean_structure(interchange.structure_from_inclusion(record, mapped))
    except InputError as exc:
        match = _SERVICE_INDEX.match(exc.field or "")
        if match:
            service_row = services[int(match.group(1)) - 1][0]
            raise InputError(
                exc.message, file=service_file, row=service_row, field=match.group(2) or None
            ) from None
        raise InputError(exc.message, file=structure_file, row=row, field=exc.field) from None
    data.raw = plaindata.jsonable({"structure": record, "services": [s[1] for s in services]})
    return data


def import_files(
    structures_path: Path,
    services_path: Path | None = None,
    *,
    source: str,
    dry_run: bool = False,
    licence: str = "Licence Ouverte 2.0",
    actor: Any = None,
) -> ImportReport:
    """Validate every record, then (unless dry run or any error) save them all at once, as
    drafts for the curators (an update keeps the structure's state)."""
    source = source.strip()
    if not source:
        raise InputError("a source name is required (it keys the import with the records' ids)")
    services_path = services_path or structures_path
    files = (str(structures_path), str(services_path))
    report = ImportReport(files=tuple(dict.fromkeys(files)), source=source, dry_run=dry_run)
    structures = read_items(structures_path, "structures")
    service_items = read_items(services_path, "services")
    report.structures, report.services = len(structures), len(service_items)
    by_structure = _services_by_structure(service_items, files[1], report)
    valid: list[StructureData] = []
    seen: dict[str, int] = {}
    for row, record in structures:
        sid = str(record.get("id") or "").strip() if isinstance(record, dict) else ""
        try:
            if sid in seen:
                raise InputError(f"id {sid!r} already used on row {seen[sid]}", field="id")
            seen[sid] = row
            data = _clean(record, by_structure.pop(sid, []), files, row)
            if "licence" not in (record.get(interchange.EXTENSION) or {}):
                data.licence = licence
        except InputError as exc:
            report.errors.append(RowError(exc.file or files[0], exc.row or row, _what(exc)))
            continue
        valid.append(data)
        current = records.existing(source, data.import_id)
        if current is None:
            report.created += 1
        elif current.raw_record == data.raw:
            report.unchanged += 1
        else:
            report.updated += 1
    for owner, orphans in by_structure.items():
        for service_row, _ in orphans:
            message = f"field 'structure_id': {owner!r} is not a structure of the import"
            report.errors.append(RowError(files[1], service_row, message))
    report.errors.sort(key=lambda e: (e.file, e.row))
    if report.saved:
        with transaction.atomic():
            for data in valid:
                records.save_structure(data, source=source, state=State.DRAFT, actor=actor)
    return report


def _what(exc: InputError) -> str:
    return f"field {exc.field!r}: {exc.message}" if exc.field else exc.message
