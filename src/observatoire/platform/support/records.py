"""Saving validated structures: create or update by (source, import id), services kept by their
own id (so their links and rotation keys survive a re-import), filter rows, history."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from observatoire.platform import plaindata
from observatoire.platform.support import indexing
from observatoire.platform.support.models import CurationEvent, Service, State, Structure
from observatoire.platform.support.validation import ServiceData, StructureData

# The validated fields copied onto the rows (the rest is provenance, kept apart).
ROW_FIELDS = tuple(set(StructureData.__dataclass_fields__) - {"import_id", "services", "raw"})
SERVICE_FIELDS = tuple(set(ServiceData.__dataclass_fields__) - {"import_id"})


def existing(source: str, import_id: str) -> Structure | None:
    if not (source and import_id):
        return None
    return Structure.objects.filter(source_name=source, import_id=import_id).first()


def record(structure: Structure, user: Any, action: str, note: str = "") -> CurationEvent:
    """Append a history event without a change of state (creation, edit, import)."""
    return CurationEvent.objects.create(
        structure=structure,
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        from_state=structure.state,
        to_state=structure.state,
        note=note,
    )


def replace_services(structure: Structure, services: list[ServiceData]) -> list[Service]:
    """Update services by import id, add new ones, delete those no longer listed."""
    current = {s.import_id: s for s in structure.services.all()}
    kept: list[Service] = []
    for position, data in enumerate(services):
        service = current.pop(data.import_id, None) or Service(
            structure=structure, import_id=data.import_id
        )
        service.position = position
        for name in SERVICE_FIELDS:
            setattr(service, name, getattr(data, name))
        service.save()
        kept.append(service)
    Service.objects.filter(pk__in=[s.pk for s in current.values()]).delete()
    indexing.reindex(kept)
    return kept


@transaction.atomic
def save_structure(
    data: StructureData,
    *,
    source: str = "",
    state: str = State.DRAFT,
    owner: Any = None,
    actor: Any = None,
) -> tuple[Structure, bool]:
    """Create the structure, or update the one of the same (source, import id): (it, created).

    An update keeps the curation state unless `state` is published (seed and curated sources);
    a record identical to the last import changes nothing (no history, curation untouched).
    """
    structure = existing(source, data.import_id)
    if structure is not None and structure.raw_record == data.raw:
        return structure, False
    created = structure is None
    if structure is None:
        structure = Structure(
            slug=plaindata.unique_slug(Structure, data.name, "structure"),
            source_name=source,
            import_id=data.import_id,
            state=state,
            owner=owner,
        )
    elif state == State.PUBLISHED:
        structure.state = state
    for name in ROW_FIELDS:
        setattr(structure, name, getattr(data, name))
    if source:
        structure.raw_record = data.raw
        structure.imported_at = timezone.now()
    if structure.state == State.PUBLISHED and structure.published_at is None:
        structure.published_at = timezone.now()
    structure.save()
    replace_services(structure, data.services)
    record(
        structure, actor, "create" if created else "update", f"source : {source}" if source else ""
    )
    return structure, created


@transaction.atomic
def update_structure(structure: Structure, data: StructureData, actor: Any = None) -> Structure:
    """Replace the content of an existing structure (form or API edit), keeping its state."""
    for name in ROW_FIELDS:
        setattr(structure, name, getattr(data, name))
    structure.save()
    replace_services(structure, data.services)
    record(structure, actor, "edit")
    return structure
