"""The support structures shipped with the project (`seed_structures.yaml`), written from the
seed document, and their idempotent loader."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.support import records
from observatoire.platform.support.models import State
from observatoire.platform.support.validation import StructureData, clean_structure

SEED_FILE = Path(__file__).resolve().parent / "seed_structures.yaml"
SEED_SOURCE = "seed"


def read_seed(path: Path = SEED_FILE) -> list[StructureData]:
    """Validate every entry of the file; errors name the file, the entry (row) and the field."""
    items = plaindata.read_yaml_list(path, "seed structures")
    entries: list[StructureData] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        try:
            data = clean_structure(item)
            if not data.import_id or data.import_id in seen:
                raise InputError("must be present and unique", field="import_id")
        except InputError as exc:
            raise InputError(exc.message, file=str(path), row=number, field=exc.field) from None
        seen.add(data.import_id)
        entries.append(data)
    return entries


@transaction.atomic
def load_seed(path: Path = SEED_FILE) -> int:
    """Create or update the seed structures, published (idempotent); returns how many."""
    entries = read_seed(path)
    for data in entries:
        records.save_structure(data, source=SEED_SOURCE, state=State.PUBLISHED)
    return len(entries)
