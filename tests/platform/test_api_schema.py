"""The API schema states every input's bounds (issue 9: "a length limit on every text field, stated
in the API schema"), for every app's routes, and two apps cannot describe different shapes under
one schema name. A NUL byte in any address is a 4xx, on PostgreSQL too."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from ninja import Schema

from observatoire.platform.api import api, check_schema_names


def _unbounded(
    node: dict[str, Any], where: str, components: dict[str, Any], seen: tuple = ()
) -> list[str]:
    """The places under `node` that take text without a maxLength, enum or format, or a list
    without maxItems."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return (
            [] if name in seen else _unbounded(components[name], where, components, (*seen, name))
        )
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            found += _unbounded(sub, where, components, seen)
    kind = node.get("type")
    if kind == "string" and not {"maxLength", "enum", "format"} & set(node):
        found.append(where)
    if kind == "array":
        if "maxItems" not in node:
            found.append(f"{where} (list)")
        found += _unbounded(node.get("items", {}), f"{where}[]", components, seen)
    for name, sub in node.get("properties", {}).items():
        found += _unbounded(sub, f"{where}.{name}", components, seen)
    if isinstance(node.get("additionalProperties"), dict):
        found += _unbounded(node["additionalProperties"], f"{where}.*", components, seen)
    return found


def test_every_text_input_has_a_length_limit_in_the_schema() -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    unbounded = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":  # a path segment names a record; it is looked up
                    where = f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
                    unbounded += _unbounded(parameter["schema"], where, components)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                where = f"{method.upper()} {path} body"
                unbounded += _unbounded(content["schema"], where, components)
    assert unbounded == []


def test_every_route_states_the_answers_every_route_may_give() -> None:
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert "503" in answers, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in answers, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= answers, (method, path)


def test_the_served_schema_has_no_duplicated_key(client: Client) -> None:
    """Swagger UI reads the schema as YAML, which refuses a key twice in one object (the docs page
    stayed blank when a route declared 422 itself and the platform added "422" again)."""

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=refuse_duplicates)


def test_two_shapes_under_one_schema_name_are_refused() -> None:
    first = type(
        "EchoOut",
        (Schema,),
        {"__module__": "observatoire.platform.a.api", "__annotations__": {"x": int}},
    )
    second = type(
        "EchoOut",
        (Schema,),
        {"__module__": "observatoire.platform.b.api", "__annotations__": {"y": str}},
    )
    try:
        with pytest.raises(ImproperlyConfigured, match="EchoOut"):
            check_schema_names()
    finally:
        del first, second
        gc.collect()
    check_schema_names()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/alliances/?q=%00", 400),
        ("/alliances/%00/", 404),
        ("/accompagnement/?q=a%00b", 400),
        ("/api/alliances?q=%00", 422),
        ("/api/alliances/%00", 404),
        ("/api/structures?%00=1", 422),
    ],
)
def test_a_nul_byte_in_an_address_is_refused(client: Client, address: str, status: int) -> None:
    assert client.get(address).status_code == status
