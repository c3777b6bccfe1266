"""Validation of a fiche given as plain data (seed YAML, CSV/JSON import, API, form).

Every way in goes through `clean_fiche`, so a fiche is checked the same way whatever its source:
required text and its length (the limits below, also stated in the API schema), no NUL byte,
vocabulary codes, known INSEE codes, partners, dates (a review date never in the future), source
addresses (http/https only). Errors are InputError naming the field (and, from the caller, the
file and row).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.alliances import places

# Length limits of the text fields (characters) and of the lists, stated in the API schema too.
TITLE_MAX = 300
SUMMARY_MAX = 2_000
DESCRIPTION_MAX = 20_000
NAME_MAX = 200
LABEL_MAX = 500
LICENCE_MAX = 80
CODE_MAX = 60
URL_MAX = plaindata.URL_MAX
ITEMS_MAX = 50
TERRITORIES_MAX = 100
# The keys of the list fields' items, each with its length limit.
RECORD_KEYS: dict[str, dict[str, int]] = {
    "partners": {"name": NAME_MAX, "actor_type": CODE_MAX, "size": CODE_MAX, "role": NAME_MAX},
    "timeline": {"date": 10, "label": LABEL_MAX},
    "results": {"label": LABEL_MAX, "value": NAME_MAX, "note": LABEL_MAX},
    "sources": {
        "title": LABEL_MAX,
        "publisher": LABEL_MAX,
        "date": 10,
        "url": URL_MAX,
        "locator": LABEL_MAX,
    },
}

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")
CODE_LISTS: dict[str, vocabularies.Vocabulary] = {
    "objectives": vocabularies.OBJECTIVES,
    "impacts": vocabularies.IMPACTS,
    "partnership_categories": vocabularies.PARTNERSHIP_CATEGORIES,
    "fragilities": vocabularies.FRAGILITIES,
    "support_forms": vocabularies.SUPPORT_FORMS,
}
# The fields of a fiche that are stored on the Alliance row itself, in display order.
ROW_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "description",
    "territories",
    *CODE_LISTS,
    "innovation_stage",
    "timeline",
    "results",
    "sources",
    "licence",
    "update_frequency_months",
    "last_reviewed",
)
KNOWN_FIELDS = frozenset({"import_id", "partners", *ROW_FIELDS})


@dataclass
class PartnerData:
    name: str
    actor_type: str
    size: str = ""
    role: str = ""


@dataclass
class FicheData:
    """A validated fiche, ready to be saved by `records.save_fiche`."""

    title: str
    summary: str
    territories: list[str]
    import_id: str = ""
    description: str = ""
    partners: list[PartnerData] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    impacts: list[str] = field(default_factory=list)
    partnership_categories: list[str] = field(default_factory=list)
    fragilities: list[str] = field(default_factory=list)
    support_forms: list[str] = field(default_factory=list)
    innovation_stage: str = ""
    timeline: list[dict[str, str]] = field(default_factory=list)
    results: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, str | None]] = field(default_factory=list)
    licence: str = "CC BY-SA 4.0"
    update_frequency_months: int = 12
    last_reviewed: datetime.date | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def _text(data: Mapping[str, Any], name: str, *, required: bool, max_length: int) -> str:
    return plaindata.text(data, name, max_length, required=required)


def _items(data: Mapping[str, Any], name: str, max_items: int = ITEMS_MAX) -> list[Any]:
    items = plaindata.list_field(data, name)
    if len(items) > max_items:
        raise InputError(f"has {len(items)} items, at most {max_items} are allowed", field=name)
    return items


def _codes(data: Mapping[str, Any], name: str, vocabulary: vocabularies.Vocabulary) -> list[str]:
    codes = [str(c).strip() for c in _items(data, name)]
    for code in codes:
        if code not in vocabulary:
            allowed = ", ".join(vocabulary.codes)
            raise InputError(f"unknown code {code!r} (allowed: {allowed})", field=name)
    return list(dict.fromkeys(codes))


def _territories(data: Mapping[str, Any]) -> list[str]:
    refs = [str(c).strip() for c in _items(data, "territories", TERRITORIES_MAX)]
    if not refs:
        raise InputError("at least one INSEE code is required", field="territories")
    out = []
    for ref in refs:
        try:
            out.append(places.place(ref).ref)
        except InputError as exc:
            raise InputError(exc.message, field="territories") from None
    return list(dict.fromkeys(out))


def _partners(data: Mapping[str, Any]) -> list[PartnerData]:
    partners = []
    limits = RECORD_KEYS["partners"]
    for i, item in enumerate(_items(data, "partners"), start=1):
        where = f"partners[{i}]"
        if not isinstance(item, Mapping):
            raise InputError("expected {name, actor_type, size, role}", field=where)
        name = _text(item, "name", required=True, max_length=limits["name"])
        actor_type = _text(item, "actor_type", required=True, max_length=limits["actor_type"])
        if actor_type not in vocabularies.ACTOR_TYPES:
            allowed = ", ".join(vocabularies.ACTOR_TYPES.codes)
            raise InputError(f"unknown actor type {actor_type!r} (allowed: {allowed})", field=where)
        size = _text(item, "size", required=False, max_length=limits["size"])
        if size and size not in vocabularies.ORGANISATION_SIZES:
            allowed = ", ".join(vocabularies.ORGANISATION_SIZES.codes)
            raise InputError(f"unknown size {size!r} (allowed: {allowed})", field=where)
        role = _text(item, "role", required=False, max_length=limits["role"])
        partners.append(PartnerData(name, actor_type, size, role))
    return partners


def _partial_date(value: Any, where: str) -> str:
    text = value.isoformat() if isinstance(value, datetime.date) else str(value or "").strip()
    if not _PARTIAL_DATE.match(text):
        raise InputError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD", field=where)
    if len(text) == 10:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"date {text!r} does not exist", field=where) from None
    return text


def _records(
    data: Mapping[str, Any], name: str, required: Sequence[str], optional: Sequence[str]
) -> list[dict[str, Any]]:
    limits = RECORD_KEYS[name]
    out = []
    for i, item in enumerate(_items(data, name), start=1):
        where = f"{name}[{i}]"
        if not isinstance(item, Mapping):
            raise InputError(f"expected a mapping with {', '.join(required)}", field=where)
        item = plaindata.jsonable(item)  # YAML dates as text
        record: dict[str, Any] = {}
        try:
            for key in required:
                record[key] = _text(item, key, required=True, max_length=limits[key])
            for key in optional:
                value = (
                    plaindata.url(item, key)
                    if key == "url"
                    else _text(item, key, required=False, max_length=limits[key])
                )
                record[key] = value or None
        except InputError as exc:
            raise InputError(exc.message, field=f"{where}.{exc.field}") from None
        if "date" in record and record["date"] is not None:
            record["date"] = _partial_date(record["date"], where)
        out.append(record)
    return out


def clean_fiche(data: Mapping[str, Any]) -> FicheData:
    """Validate one fiche given as plain data; raises InputError naming the bad field."""
    if not isinstance(data, Mapping):
        raise InputError("a fiche must be a mapping of fields")
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(unknown)[:200]}", field=unknown[0][:80])
    plaindata.refuse_nul(data)  # kept raw too (`raw_record`), where no field check reaches
    stage = _text(data, "innovation_stage", required=False, max_length=CODE_MAX)
    if stage and stage not in vocabularies.INNOVATION_STAGES:
        allowed = ", ".join(vocabularies.INNOVATION_STAGES.codes)
        raise InputError(f"unknown code {stage!r} (allowed: {allowed})", field="innovation_stage")
    import_id = _text(data, "import_id", required=False, max_length=NAME_MAX)
    return FicheData(
        import_id=import_id,
        title=_text(data, "title", required=True, max_length=TITLE_MAX),
        summary=_text(data, "summary", required=True, max_length=SUMMARY_MAX),
        description=_text(data, "description", required=False, max_length=DESCRIPTION_MAX),
        territories=_territories(data),
        partners=_partners(data),
        **{name: _codes(data, name, vocab) for name, vocab in CODE_LISTS.items()},
        innovation_stage=stage,
        timeline=_records(data, "timeline", ["date", "label"], []),
        results=_records(data, "results", ["label", "value"], ["note"]),
        sources=_records(data, "sources", ["title"], ["publisher", "date", "url", "locator"]),
        licence=_text(data, "licence", required=False, max_length=LICENCE_MAX) or "CC BY-SA 4.0",
        update_frequency_months=plaindata.update_frequency(data),
        last_reviewed=plaindata.past_date(data, "last_reviewed"),
        raw=plaindata.jsonable(dict(data)),
    )
