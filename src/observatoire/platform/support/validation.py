"""Validation of a structure and its services given as plain data.

Every way in (seed file, data·inclusion or CSV import, API, form, admin) goes through
`clean_structure`, so an entry is checked the same way whatever its source: lengths (the
data·inclusion limits), vocabulary codes (ours and data·inclusion's), known territories, URLs
(http/https only), e-mail, SIRET (14 digits and Luhn key), RNA, dates, no NUL bytes. Errors are
InputError naming the field ("services[2].zones"); the caller adds the file and row.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.support import inclusion, zones

NAME_MIN, NAME_MAX = 3, 150  # data·inclusion's `nom`
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 10_000  # data·inclusion's `description`
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 2_000
URL_MAX = plaindata.URL_MAX
MAX_SERVICES = 50
MAX_ZONES = 500
DEFAULT_LICENCE = "Licence Ouverte 2.0"

_SIRET = re.compile(r"^\d{14}$")
_RNA = re.compile(r"^W\d{9}$")
_PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")
_LA_POSTE_SIREN = "356000000"  # its SIRETs follow another key rule (INSEE)
_EMAIL = EmailValidator()

STRUCTURE_LISTS: dict[str, vocabularies.Vocabulary] = {"networks": inclusion.NETWORKS}
SERVICE_LISTS: dict[str, vocabularies.Vocabulary] = {
    "thematiques": inclusion.THEMATIQUES,
    "publics": inclusion.PUBLICS,
    "reception_modes": inclusion.RECEPTION_MODES,
    "mobilisation_modes": inclusion.MOBILISATION_MODES,
    "support_forms": vocabularies.SUPPORT_FORMS,
    "innovation_stages": vocabularies.INNOVATION_STAGES,
    "objectives": vocabularies.OBJECTIVES,
    "actor_types": vocabularies.ACTOR_TYPES,
    "association_employment": vocabularies.ASSOCIATION_EMPLOYMENT,
    "sizes": vocabularies.ORGANISATION_SIZES,
}
SERVICE_FIELDS = frozenset(
    {
        "import_id",
        "name",
        "description",
        "kind",
        "fees",
        "fees_details",
        "access_conditions",
        "mobilisation_url",
        "zones",
        *SERVICE_LISTS,
    }
)
STRUCTURE_FIELDS = frozenset(
    {
        "import_id",
        "name",
        "description",
        "structure_type",
        "siret",
        "rna",
        "commune",
        "address",
        "website",
        "email",
        "phone",
        "sources",
        "licence",
        "is_fictitious",
        "update_frequency_months",
        "last_reviewed",
        "services",
        *STRUCTURE_LISTS,
    }
)


@dataclass
class ServiceData:
    """A validated service, saved by `records.save_structure` with its structure."""

    import_id: str
    name: str
    description: str
    zones: list[str]
    kind: str = ""
    fees: str = ""
    fees_details: str = ""
    access_conditions: str = ""
    mobilisation_url: str = ""
    thematiques: list[str] = field(default_factory=list)
    publics: list[str] = field(default_factory=list)
    reception_modes: list[str] = field(default_factory=list)
    mobilisation_modes: list[str] = field(default_factory=list)
    support_forms: list[str] = field(default_factory=list)
    innovation_stages: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    actor_types: list[str] = field(default_factory=list)
    association_employment: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)


@dataclass
class StructureData:
    """A validated structure with its services."""

    name: str
    description: str  # optional, as in data·inclusion ("" when unknown)
    structure_type: str
    import_id: str = ""
    networks: list[str] = field(default_factory=list)
    siret: str = ""
    rna: str = ""
    commune: str = ""
    address: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    sources: list[dict[str, str | None]] = field(default_factory=list)
    licence: str = DEFAULT_LICENCE
    is_fictitious: bool = False
    update_frequency_months: int = 12
    last_reviewed: datetime.date | None = None
    services: list[ServiceData] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def _text(
    data: Mapping[str, Any],
    name: str,
    *,
    required: bool = False,
    min_length: int = 0,
    max_length: int = SHORT_TEXT_MAX,
) -> str:
    return plaindata.text(data, name, max_length, required=required, min_length=min_length)


def codes(values: Any, vocabulary: vocabularies.Vocabulary, name: str) -> list[str]:
    """Known codes of `vocabulary`, deduplicated in order; InputError naming every unknown one."""
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise InputError("expected a list", field=name)
    found = [str(c).strip() for c in values if str(c).strip()]
    unknown = [c for c in found if c not in vocabulary]
    if unknown:
        shown = ", ".join(repr(c) for c in unknown)
        allowed = ", ".join(vocabulary.codes) if len(vocabulary) <= 20 else f"see {vocabulary.name}"
        raise InputError(f"unknown code(s) {shown} (allowed: {allowed})", field=name)
    return list(dict.fromkeys(found))


def _code(data: Mapping[str, Any], name: str, vocabulary: vocabularies.Vocabulary) -> str:
    value = _text(data, name, max_length=60)
    if value and value not in vocabulary:
        raise InputError(
            f"unknown code {value!r} (allowed: {', '.join(vocabulary.codes)})", field=name
        )
    return value


def _email(data: Mapping[str, Any]) -> str:
    value = _text(data, "email", max_length=254)
    if value:
        try:
            _EMAIL(value)
        except ValidationError:
            raise InputError(f"{value!r} is not an e-mail address", field="email") from None
    return value


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _siret(data: Mapping[str, Any]) -> str:
    value = _text(data, "siret", max_length=20).replace(" ", "")
    if not value:
        return ""
    if not _SIRET.match(value):
        raise InputError("a SIRET has 14 digits", field="siret")
    if not value.startswith(_LA_POSTE_SIREN) and not _luhn(value):
        raise InputError(f"{value!r} fails the SIRET check digit (Luhn)", field="siret")
    return value


def _pattern(data: Mapping[str, Any], name: str, pattern: re.Pattern[str], what: str) -> str:
    value = _text(data, name, max_length=30)
    if value and not pattern.match(value):
        raise InputError(f"{value!r} is not {what}", field=name)
    return value


def _commune(data: Mapping[str, Any]) -> str:
    value = _text(data, "commune", max_length=20)
    if not value:
        return ""
    try:
        t = zones.get(value)
    except InputError as exc:
        raise InputError(exc.message, field="commune") from None
    if t.kind != "commune":
        raise InputError(f"{value!r} is a {t.kind}, not a commune", field="commune")
    return t.code


def zone_refs(values: Any, name: str = "zones") -> list[str]:
    """Territory references of a list of codes; at least one is required."""
    items = [str(c).strip() for c in (values or []) if str(c).strip()]
    if values is not None and not isinstance(values, list | tuple):
        raise InputError("expected a list of INSEE codes", field=name)
    if not items:
        raise InputError("at least one territory is required (an INSEE code, or FR)", field=name)
    if len(items) > MAX_ZONES:
        raise InputError(f"at most {MAX_ZONES} territories", field=name)
    out = []
    for item in items:
        try:
            out.append(zones.ref(item))
        except InputError as exc:
            raise InputError(exc.message, field=name) from None
    return list(dict.fromkeys(out))


def _bool(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "0", "false", "non", "no"):
        return False
    if text in ("1", "true", "oui", "yes"):
        return True
    raise InputError(f"{value!r} is not true or false", field=name)


def _sources(data: Mapping[str, Any]) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    for i, item in enumerate(plaindata.list_field(data, "sources"), start=1):
        where = f"sources[{i}]"
        if not isinstance(item, Mapping):
            raise InputError("expected {title, publisher, locator, url}", field=where)
        try:
            source: dict[str, str | None] = {"title": _text(item, "title", required=True)}
            for key in ("publisher", "locator", "date"):
                source[key] = _text(item, key) or None
            source["url"] = plaindata.url(item, "url") or None
        except InputError as exc:
            raise InputError(exc.message, field=f"{where}.{exc.field}") from None
        out.append(source)
    return out


def _unknown(data: Mapping[str, Any], known: frozenset[str]) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(unknown)}", field=unknown[0])


def clean_service(data: Mapping[str, Any]) -> ServiceData:
    """Validate one service; raises InputError naming the bad field."""
    if not isinstance(data, Mapping):
        raise InputError("a service must be a mapping of fields")
    _unknown(data, SERVICE_FIELDS)
    lists = {name: codes(data.get(name), vocab, name) for name, vocab in SERVICE_LISTS.items()}
    if "tous-publics" in lists["publics"] and len(lists["publics"]) > 1:
        raise InputError("'tous-publics' cannot be combined with other publics", field="publics")
    employment, actors = lists["association_employment"], lists["actor_types"]
    if employment and actors and "associations" not in actors:
        raise InputError(
            "applies to associations only: add 'associations' to actor_types",
            field="association_employment",
        )
    name = _text(data, "name", required=True, min_length=NAME_MIN, max_length=NAME_MAX)
    return ServiceData(
        import_id=_text(data, "import_id", max_length=200),
        name=name,
        description=_text(
            data,
            "description",
            required=True,
            min_length=DESCRIPTION_MIN,
            max_length=DESCRIPTION_MAX,
        ),
        zones=zone_refs(data.get("zones")),
        kind=_code(data, "kind", inclusion.SERVICE_TYPES),
        fees=_code(data, "fees", inclusion.FEES),
        fees_details=_text(data, "fees_details"),
        access_conditions=_text(data, "access_conditions", max_length=LONG_TEXT_MAX),
        mobilisation_url=plaindata.url(data, "mobilisation_url", mailto=True),
        **lists,
    )


def _services(data: Mapping[str, Any]) -> list[ServiceData]:
    items = plaindata.list_field(data, "services")
    if len(items) > MAX_SERVICES:
        raise InputError(f"at most {MAX_SERVICES} services", field="services")
    services: list[ServiceData] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items, start=1):
        try:
            service = clean_service(item)
        except InputError as exc:
            where = f"services[{i}].{exc.field}" if exc.field else f"services[{i}]"
            raise InputError(exc.message, field=where) from None
        service.import_id = service.import_id or f"service-{i}"
        if service.import_id in seen:
            raise InputError(
                f"import_id {service.import_id!r} is already used by services"
                f"[{seen[service.import_id]}]",
                field=f"services[{i}].import_id",
            )
        seen[service.import_id] = i
        services.append(service)
    return services


def clean_structure(data: Mapping[str, Any]) -> StructureData:
    """Validate one structure with its services; raises InputError naming the bad field."""
    if not isinstance(data, Mapping):
        raise InputError("a structure must be a mapping of fields")
    _unknown(data, STRUCTURE_FIELDS)
    plaindata.refuse_nul(data)  # kept raw too, where no field check reaches
    structure_type = _code(data, "structure_type", vocabularies.SUPPORT_STRUCTURE_TYPES)
    if not structure_type:
        raise InputError("is required", field="structure_type")
    return StructureData(
        import_id=_text(data, "import_id", max_length=200),
        name=_text(data, "name", required=True, min_length=NAME_MIN, max_length=NAME_MAX),
        description=_text(
            data, "description", min_length=DESCRIPTION_MIN, max_length=DESCRIPTION_MAX
        ),
        structure_type=structure_type,
        networks=codes(data.get("networks"), inclusion.NETWORKS, "networks"),
        siret=_siret(data),
        rna=_pattern(data, "rna", _RNA, "an RNA number (W and 9 digits)"),
        commune=_commune(data),
        address=_text(data, "address", max_length=300),
        website=plaindata.url(data, "website"),
        email=_email(data),
        phone=_pattern(data, "phone", _PHONE, "a telephone number"),
        sources=_sources(data),
        licence=_text(data, "licence", max_length=80) or DEFAULT_LICENCE,
        is_fictitious=_bool(data, "is_fictitious"),
        update_frequency_months=plaindata.update_frequency(data),
        last_reviewed=plaindata.past_date(data, "last_reviewed"),
        services=_services(data),
        raw=plaindata.jsonable(dict(data)),
    )
