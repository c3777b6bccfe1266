"""Helpers shared by the apps that take entries as plain data (seed YAML, JSON or CSV imports,
API bodies, forms, admin): each checks one thing and names the field or file when it is wrong.

`text` and `url` are the one check of a text or web-address value for every app: a length limit
(the same number the app states in its API schema), no NUL byte (PostgreSQL refuses them, and a
raw one would reach HTML and CSV), and only http(s) addresses — `mailto:` where a field asks for
it — so that no `javascript:` or `data:` link is ever stored.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import Model
from django.utils.text import slugify

from observatoire.errors import InputError

FREQUENCY_FIELD = "update_frequency_months"
URL_MAX = 500
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
_EMAIL = EmailValidator()


def refuse_nul(value: Any, where: str = "") -> None:
    """InputError naming the field when `value` (text, or lists and mappings of it, keys
    included) holds a NUL byte anywhere."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InputError("contains a NUL byte", field=where or None)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            key = str(k).replace("\x00", "\\x00")  # the message never carries the byte itself
            inner = f"{where}.{key}" if where else key
            refuse_nul(k, inner)
            refuse_nul(v, inner)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value, start=1):
            refuse_nul(v, f"{where}[{i}]")


def text(
    data: Mapping[str, Any],
    name: str,
    max_length: int,
    *,
    required: bool = False,
    min_length: int = 0,
) -> str:
    """The text under `name`, stripped ("" when absent); numbers are taken as their text."""
    value = data.get(name)
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError("expected text", field=name)
    out = str(value).strip()
    refuse_nul(out, name)
    if required and not out:
        raise InputError("is required", field=name)
    if out and len(out) < min_length:
        raise InputError(f"is shorter than {min_length} characters", field=name)
    if len(out) > max_length:
        raise InputError(f"is longer than {max_length} characters", field=name)
    return out


def url(data: Mapping[str, Any], name: str, *, mailto: bool = False) -> str:
    """A web address (http or https; also `mailto:` + an e-mail address when `mailto`), or ""."""
    value = text(data, name, URL_MAX)
    if not value:
        return value
    try:
        if mailto and value[:7].lower() == "mailto:":
            _EMAIL(value[7:].split("?", 1)[0])
        else:
            _WEB_ADDRESS(value)
    except ValidationError:
        allowed = "an http(s) address" + (" or a mailto: link" if mailto else "")
        raise InputError(f"{value[:80]!r} is not {allowed}", field=name) from None
    return value


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


def past_date(data: Mapping[str, Any], name: str) -> datetime.date | None:
    """A date YYYY-MM-DD that is not in the future (a review date, say), None when absent."""
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InputError(f"{str(value)[:40]!r} is not a date YYYY-MM-DD", field=name) from None
    if value > datetime.date.today():
        raise InputError(f"{value.isoformat()} is in the future", field=name)
    return value


def jsonable(value: Any) -> Any:
    """Plain data as JSON-compatible values (YAML gives dates; JSON fields need strings)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs: one starting with =, +, -, @, a tab or a carriage
    return gets a leading apostrophe (a plain signed number stays as it is); `csv_rows` takes
    the apostrophe off again, so that an export imports back unchanged."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def _unescaped(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in _FORMULA_START else cell


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV text with a header, every cell made spreadsheet-safe (None is empty). Lines
    end in CRLF (RFC 4180), so that a cell holding a carriage return is quoted too."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe("" if v is None else str(v)) for k, v in row.items()})
    return buffer.getvalue()


def read_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is skipped)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc})", file=str(path)) from None


def csv_rows(content: str, file: str) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """(row number, row) of a CSV text with a header: rows count from 2, as a spreadsheet shows
    them. An unreadable row (a cell over the csv module's 131,072 characters, a stray quote in
    strict places) is an InputError naming the file and row, never a crash. Cells beyond the
    header are listed under the key None, as `csv.DictReader` does."""
    reader = csv.DictReader(io.StringIO(content))
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            yield number, {k: _unescaped(v) if isinstance(v, str) else v for k, v in row.items()}
    except csv.Error as exc:
        raise InputError(f"unreadable CSV row ({exc})", file=file, row=number + 1) from None


def json_document(content: str, file: str) -> Any:
    """A JSON text, or an InputError naming the file (and line): bad syntax, or nesting deeper
    than Python's parser goes (a hostile file of 100,000 opening brackets)."""
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", file=file, row=exc.lineno) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", file=file) from None


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
