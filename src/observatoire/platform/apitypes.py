"""Fields of the apps' API schemas that state the vocabulary a code belongs to, so that the
OpenAPI schema says what validation will accept (a client, and the schemathesis test, then know a
request's bounds before sending it). The app's validation still checks the codes, with its own
message naming the field, on every entry path.

    from observatoire.platform.apitypes import code_field, codes_field

    class StructureQuery(Schema):
        need: list[str] = codes_field(vocabularies.SUPPORT_FORMS)     # enum items, maxItems
        actor_type: str = code_field(vocabularies.ACTOR_TYPES, "")    # enum (or "": no filter)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field, JsonValue

from observatoire import vocabularies

Codes = vocabularies.Vocabulary | Iterable[str]


def _codes(values: Codes) -> list[str]:
    return list(values.codes if isinstance(values, vocabularies.Vocabulary) else values)


def code_field(values: Codes, default: str | None = None, **field: Any) -> Any:
    """One code of `values`; with a default of "", also "" (no choice)."""
    codes = _codes(values)
    enum: list[JsonValue] = list(codes) if default is None else [default, *codes]
    extra: dict[str, JsonValue] = {"enum": enum}
    if default is None:
        return Field(max_length=max(map(len, codes)), json_schema_extra=extra, **field)
    return Field(default, max_length=max(map(len, codes)), json_schema_extra=extra, **field)


def codes_field(values: Codes, **field: Any) -> Any:
    """A list (or repeatable parameter) of codes of `values`, each at most once."""
    codes = _codes(values)
    item: dict[str, JsonValue] = {
        "type": "string",
        "enum": list[JsonValue](codes),
        "maxLength": max(map(len, codes)),
    }
    return Field(
        default_factory=list,
        max_length=len(codes),
        json_schema_extra={"items": item},
        **field,
    )
