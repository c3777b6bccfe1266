"""Open-data export of the published directory in the data·inclusion schema (v1), JSON or CSV.

Each record has the schema's fields and our `observatoire` extension (see `interchange`); a file
that contains fictitious demo structures says so in its `notice` (JSON) or in an
`observatoire.notice` column on each fictitious row (CSV). The exports import back as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from observatoire.platform import plaindata
from observatoire.platform.support import interchange
from observatoire.platform.support.models import State, Structure

FICTITIOUS_NOTICE = (
    "Ce fichier contient des structures FICTIVES, générées pour la démonstration "
    "(observatoire.is_fictitious = true) : elles n'existent pas. / This file contains FICTITIOUS "
    "structures generated for the demonstration: they do not exist."
)
LICENCE = "Licence Ouverte 2.0 (données) ; chaque structure indique la licence de ses textes"
SCHEMA = "data·inclusion v1 (https://pypi.org/project/data-inclusion-schema/)"


def published() -> QuerySet[Structure]:
    return Structure.objects.filter(state=State.PUBLISHED).prefetch_related("services")


def records(
    structures: Iterable[Structure], base_url: str = ""
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(structure records, service records) in the schema plus our extension."""
    out_structures, out_services = [], []
    for structure in structures:
        out_structures.append(interchange.structure_to_inclusion(structure, base_url))
        out_services += [
            interchange.service_to_inclusion(s, structure) for s in structure.services.all()
        ]
    return out_structures, out_services


def to_json(structures: Iterable[Structure] | None = None, base_url: str = "") -> str:
    items = list(published() if structures is None else structures)
    structure_records, service_records = records(items, base_url)
    document: dict[str, Any] = {"schema": SCHEMA, "licence": LICENCE}
    if any(s.is_fictitious for s in items):
        document["notice"] = FICTITIOUS_NOTICE
    document |= {"structures": structure_records, "services": service_records}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _flat(record: dict[str, Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for key, value in record.items():
        if key == interchange.EXTENSION:
            for ext_key, ext_value in value.items():
                row[f"{interchange.EXTENSION}.{ext_key}"] = _cell(ext_key, ext_value)
        else:
            row[key] = _cell(key, value)
    return row


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "sources":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)


def _csv(rows: list[dict[str, str]]) -> str:
    return plaindata.write_csv(rows, list(dict.fromkeys(k for row in rows for k in row)))


def to_csv(kind: str, structures: Iterable[Structure] | None = None, base_url: str = "") -> str:
    """The structures or the services as CSV (`kind` is "structures" or "services")."""
    items = list(published() if structures is None else structures)
    structure_records, service_records = records(items, base_url)
    fictitious = {interchange.inclusion_id(s) for s in items if s.is_fictitious}
    rows = []
    for record in structure_records if kind == "structures" else service_records:
        row = _flat(record)
        owner = record["id"] if kind == "structures" else record["structure_id"]
        row[f"{interchange.EXTENSION}.notice"] = (
            "Structure fictive (démonstration)" if (owner in fictitious) else ""
        )
        rows.append(row)
    return _csv(rows)
