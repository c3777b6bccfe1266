"""The data·inclusion schema (v1) on the way in and out: its records ↔ our plain data.

On the way in, a record is first checked by the schema package's own models (so whatever DORA or
data·inclusion would refuse, we refuse with their reason), then mapped to our field names and
checked again by `validation.clean_structure`, like every other entry. On the way out, each
record has the schema's fields plus an `observatoire` object carrying what the schema has no
field for (type of structure, forms of support, stages, objectives, actor types served,
employer / non-employer associations, sizes, zones as our references, fictitious flag); an
import of our own export restores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from data_inclusion.schema import v1

from observatoire.errors import InputError
from observatoire.platform.support import zones
from observatoire.platform.support.models import Service, Structure

EXTENSION = "observatoire"
OUR_SOURCE = "observatoire"
# A type of structure from a data·inclusion network, when the record carries no extension.
NETWORK_TYPES = {
    "mission-locale": "mission-locale",
    "france-active": "financeur-solidaire",
    "fabrique-de-territoire": "catalyseur-territorial",
}
_STRUCTURE_EXTENSION = {"structure_type", "is_fictitious", "sources", "licence"}
_SERVICE_EXTENSION = {
    "zones",
    "support_forms",
    "innovation_stages",
    "objectives",
    "actor_types",
    "association_employment",
    "sizes",
}


Model = TypeVar("Model", bound=pydantic.BaseModel)


def _checked(model: type[Model], record: Any) -> Model:
    """The record validated by the schema package; InputError naming the first bad field."""
    if not isinstance(record, Mapping):
        raise InputError("expected a JSON object (a data·inclusion record)")
    data = {k: v for k, v in record.items() if k != EXTENSION and v not in ("", None)}
    try:
        return model.model_validate(data, context={"ignore_warnings": True})
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or None
        raise InputError(f"data·inclusion schema: {error['msg']}", field=where) from None


def _extension(record: Mapping[str, Any], allowed: set[str]) -> dict[str, Any]:
    ext = record.get(EXTENSION) or {}
    if not isinstance(ext, Mapping):
        raise InputError("expected an object", field=EXTENSION)
    unknown = sorted(set(ext) - allowed)
    if unknown:
        raise InputError(
            f"unknown field(s): {', '.join(unknown)}", field=f"{EXTENSION}.{unknown[0]}"
        )
    return dict(ext)


def _codes(values: Any) -> list[str]:
    return sorted(str(getattr(v, "value", v)) for v in values or ())


def service_from_inclusion(record: Any, structure_commune: str = "") -> dict[str, Any]:
    """Our plain data for a data·inclusion service record (zones from `zone_eligibilite`, else the
    service's or the structure's commune)."""
    s = _checked(v1.Service, record)
    ext = _extension(record, _SERVICE_EXTENSION)
    if "zones" not in ext:
        if s.zone_eligibilite:
            try:
                ext["zones"] = zones.from_inclusion(s.zone_eligibilite)
            except InputError as exc:
                raise InputError(exc.message, field="zone_eligibilite") from None
        elif s.code_insee or structure_commune:
            ext["zones"] = [s.code_insee or structure_commune]
        else:
            raise InputError(
                "no zone: give zone_eligibilite (or code_insee) so the directory knows where "
                "the service is offered",
                field="zone_eligibilite",
            )
    return {
        "import_id": s.id,
        "name": s.nom,
        "description": s.description,
        "kind": s.type.value if s.type else "",
        "thematiques": _codes(s.thematiques),
        "publics": _codes(s.publics),
        "reception_modes": _codes(s.modes_accueil),
        "mobilisation_modes": _codes(s.modes_mobilisation),
        "mobilisation_url": str(s.lien_mobilisation or ""),
        "fees": s.frais.value if s.frais else "",
        "fees_details": s.frais_precisions or "",
        "access_conditions": s.conditions_acces or "",
        **ext,
    }


def structure_from_inclusion(record: Any, services: list[dict[str, Any]]) -> dict[str, Any]:
    """Our plain data for a data·inclusion structure record and its (already mapped) services."""
    s = _checked(v1.Structure, record)
    ext = _extension(record, _STRUCTURE_EXTENSION)
    networks = _codes(s.reseaux_porteurs)
    if "structure_type" not in ext:
        ext["structure_type"] = next(
            (NETWORK_TYPES[n] for n in networks if n in NETWORK_TYPES), "autre"
        )
    if "sources" not in ext and s.lien_source:
        ext["sources"] = [{"title": s.nom, "publisher": s.source, "url": str(s.lien_source)}]
    address = ", ".join(p for p in (s.adresse, s.complement_adresse) if p)
    return {
        "import_id": s.id,
        "name": s.nom,
        "description": s.description or "",
        "networks": networks,
        "siret": s.siret or "",
        "commune": s.code_insee or "",
        "address": address,
        "website": str(s.site_web or ""),
        "email": s.courriel or "",
        "phone": s.telephone or "",
        "last_reviewed": s.date_maj,
        "services": services,
        **ext,
    }


def inclusion_id(structure: Structure) -> str:
    """The record's data·inclusion id: an imported one as it came, ours as observatoire--slug."""
    if structure.import_id and "--" in structure.import_id:
        return structure.import_id
    return f"{structure.source_name or OUR_SOURCE}--{structure.import_id or structure.slug}"


def _source(structure: Structure) -> str:
    return inclusion_id(structure).split("--", 1)[0]


def structure_to_inclusion(structure: Structure, base_url: str = "") -> dict[str, Any]:
    """A structure as a data·inclusion v1 record plus our extension."""
    commune = zones.get(structure.commune) if structure.commune else None
    record = {
        "source": _source(structure),
        "id": inclusion_id(structure),
        "nom": structure.name,
        "date_maj": structure.date_maj().isoformat(),
        "description": structure.description or None,
        "lien_source": f"{base_url.rstrip('/')}{structure.get_absolute_url()}"
        if base_url
        else None,
        "siret": structure.siret or None,
        "commune": commune.name if commune else None,
        "code_insee": structure.commune or None,
        "adresse": structure.address or None,
        "telephone": structure.phone or None,
        "courriel": structure.email or None,
        "site_web": structure.website or None,
        "reseaux_porteurs": structure.networks or None,
        EXTENSION: {
            "structure_type": structure.structure_type,
            "is_fictitious": structure.is_fictitious,
            "sources": structure.sources,
            "licence": structure.licence,
        },
    }
    return record


def service_to_inclusion(service: Service, structure: Structure) -> dict[str, Any]:
    """A service as a data·inclusion v1 record plus our extension."""
    return {
        "source": _source(structure),
        "structure_id": inclusion_id(structure),
        "id": service.import_id
        if "--" in service.import_id
        else f"{inclusion_id(structure)}--{service.import_id}",
        "nom": service.name,
        "description": service.description,
        "date_maj": structure.date_maj().isoformat(),
        "type": service.kind or None,
        "thematiques": service.thematiques or None,
        "publics": service.publics or None,
        "modes_accueil": service.reception_modes or None,
        "modes_mobilisation": service.mobilisation_modes or None,
        "lien_mobilisation": service.mobilisation_url or None,
        "frais": service.fees or None,
        "frais_precisions": service.fees_details or None,
        "conditions_acces": service.access_conditions or None,
        "zone_eligibilite": zones.to_inclusion(service.zones),
        EXTENSION: {
            "zones": service.zones,
            "support_forms": service.support_forms,
            "innovation_stages": service.innovation_stages,
            "objectives": service.objectives,
            "actor_types": service.actor_types,
            "association_employment": service.association_employment,
            "sizes": service.sizes,
        },
    }
