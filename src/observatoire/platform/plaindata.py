"""Helpers shared by the apps that take entries as plain data (seed YAML, JSON or CSV imports,
API bodies, forms): each checks one thing and names the field or file when it is wrong."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Model
from django.utils.text import slugify

from observatoire.errors import InputError

FREQUENCY_FIELD = "update_frequency_months"


def list_field(data: Mapping[str, Any], name: str) -> list[Any]:
    """The list under `name` (empty when absent); anything else than a list is refused."""
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InputError("expected a list", field=name)
    return list(value)


def update_frequency(data: Mapping[str, Any], default: int = 12) -> int:
    """The declared review frequency in months (1 to 120), `default` when absent."""
    value = data.get(FREQUENCY_FIELD)
    if value in (None, ""):
        return default
    try:
        months = int(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not a whole number", field=FREQUENCY_FIELD) from None
    if not 1 <= months <= 120:
        raise InputError("must be between 1 and 120 months", field=FREQUENCY_FIELD)
    return months


def jsonable(value: Any) -> Any:
    """Plain data as JSON-compatible values (YAML gives dates; JSON fields need strings)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read_yaml_list(path: Path, what: str) -> list[Any]:
    """The items of a YAML file holding a list of `what` (e.g. "fiches")."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the {what} ({exc.strerror})", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML ({exc})", file=str(path)) from None
    if not isinstance(items, list):
        raise InputError(f"expected a YAML list of {what}", file=str(path))
    return items


def unique_slug(model: type[Model], base: str, fallback: str) -> str:
    """A free `slug` for `model` from `base` (at most 120 characters), suffixed -2, -3…"""
    root = (slugify(base) or fallback)[:110].strip("-")
    slug, n = root, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug
