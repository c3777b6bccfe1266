"""The seed fiches shipped with the project (`seed_alliances.yaml`) and their idempotent loader."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.alliances import records
from observatoire.platform.alliances.models import State
from observatoire.platform.alliances.validation import FicheData, clean_fiche

SEED_FILE = Path(__file__).resolve().parent / "seed_alliances.yaml"
SEED_SOURCE = "seed"


def read_seed(path: Path = SEED_FILE) -> list[FicheData]:
    """Validate every fiche of the YAML file; errors name the file, fiche (row) and field."""
    items = plaindata.read_yaml_list(path, "seed fiches")
    fiches, seen = [], set()
    for number, item in enumerate(items, start=1):
        try:
            data = clean_fiche(item)
        except InputError as exc:
            raise InputError(exc.message, file=str(path), row=number, field=exc.field) from None
        if not data.import_id or data.import_id in seen:
            raise InputError(
                "import_id must be present and unique",
                file=str(path),
                row=number,
                field="import_id",
            )
        seen.add(data.import_id)
        fiches.append(data)
    return fiches


@transaction.atomic
def load_seed(path: Path = SEED_FILE) -> int:
    """Create or update the seed fiches, published (idempotent); returns how many were loaded."""
    fiches = read_seed(path)
    for data in fiches:
        records.save_fiche(data, source=SEED_SOURCE, state=State.PUBLISHED)
    return len(fiches)
