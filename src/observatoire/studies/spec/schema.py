"""The published JSON Schemas of study.yaml, and checking a description against them.

`study.schema.json` describes a study of one population followed over waves;
`populations.schema.json` a study of several populations asked shared questions (it takes its
question, code and reporting definitions from the first).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from observatoire.studies.spec.problems import Problem

SCHEMA_PATH = Path(__file__).with_name("study.schema.json")
# Files named in a study.yaml (waves, universes, published figures) are read and written by the
# pipeline: a path leading out of the study folder would read or overwrite any file.
FILE_RULE = "give a path relative to the folder, without '..' nor a leading '/'"
POPULATIONS_SCHEMA_PATH = Path(__file__).with_name("populations.schema.json")


@cache
def study_schema() -> dict[str, Any]:
    """The JSON Schema that every study.yaml must satisfy (also published in docs/studies.md)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def populations_schema() -> dict[str, Any]:
    """The JSON Schema of a study of several populations."""
    schema: dict[str, Any] = json.loads(POPULATIONS_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def schema_problems(document: Any, file: str, *, populations: bool = False) -> list[Problem]:
    """Every schema violation of a parsed study.yaml, each located by its field path."""
    study = study_schema()
    registry: Registry[Any] = Registry().with_resource(study["$id"], Resource.from_contents(study))
    validator = Draft202012Validator(
        populations_schema() if populations else study,
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        path = ".".join(str(p) for p in error.absolute_path) or "(document)"
        problems.append(Problem(file, _message(error), field=path))
    return problems


def _message(error: Any) -> str:
    if error.validator == "pattern" and error.schema == study_schema()["$defs"]["file"]:
        return f"{error.instance!r} is not a file inside the study folder: {FILE_RULE}"
    if error.validator == "oneOf":
        return "must be either {vocabulary: NAME} or a list of {code, label}"
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{error.message} (allowed: {allowed})"
    return str(error.message)
