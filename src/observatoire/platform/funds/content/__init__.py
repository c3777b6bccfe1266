"""The funds and funding instruments shipped with the project (`funds.yaml`) and their loader.

Loading is idempotent and all-or-nothing: every record is validated like any other entry and
saved in one transaction, so an error (named with the file, the record and the field) leaves the
database as it was; when the file has not changed since the last load nothing is written at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform.funds import records, validation
from observatoire.platform.funds.models import ContentLoad

CONTENT_FILE = Path(__file__).resolve().parent / "funds.yaml"
REASON = "contenu livré (funds.yaml)"


def _read(path: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = path.read_bytes()
        content = yaml.safe_load(raw.decode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the content ({exc.strerror})", file=str(path)) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"invalid YAML ({exc})", file=str(path)) from None
    if not isinstance(content, Mapping) or set(content) - {"funds", "instruments"}:
        raise InputError("expected a mapping with 'funds' and 'instruments'", file=str(path))
    return dict(content), hashlib.sha256(raw).hexdigest()


def _items(content: Mapping[str, Any], name: str, where: str) -> list[Mapping[str, Any]]:
    items = content.get(name) or []
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise InputError(f"{name!r} must be a list of mappings", file=where)
    return items


def _each(
    items: list[Mapping[str, Any]], where: str, label: str, save: Callable[[Mapping[str, Any]], Any]
) -> None:
    """Save each item, naming the file, the item (its 1-based row in its list) and the field."""
    for number, item in enumerate(items, start=1):
        try:
            save(item)
        except InputError as exc:
            if exc.file is not None:  # already located by an inner list
                raise
            raise InputError(
                f"{label}: {exc.message}", file=where, row=number, field=exc.field
            ) from None


def _load_fund(item: Mapping[str, Any], where: str) -> None:
    fields = {k: v for k, v in item.items() if k not in ("strands", "supports", "evaluations")}
    fund, _ = records.save_fund(validation.clean_fund(fields), reason=REASON)
    strands = [
        validation.clean_strand(s, position) for position, s in enumerate(item.get("strands") or [])
    ]
    records.save_strands(fund, strands, reason=REASON)
    _each(
        list(item.get("supports") or []),
        where,
        f"fund {fund.slug}, supports",
        lambda s: records.save_support(fund, validation.clean_support(s, fund), reason=REASON),
    )
    _each(
        list(item.get("evaluations") or []),
        where,
        f"fund {fund.slug}, evaluations",
        lambda e: records.save_evaluation(
            fund, validation.clean_evaluation(e, fund), reason=REASON
        ),
    )


@transaction.atomic
def load_content(path: Path = CONTENT_FILE, force: bool = False) -> bool:
    """Create or update the shipped funds and instruments; False when nothing had to be done."""
    content, digest = _read(path)
    state = ContentLoad.objects.filter(source=path.name).first()
    if state is not None and state.digest == digest and not force:
        return False
    where = str(path)
    _each(_items(content, "funds", where), where, "funds", lambda f: _load_fund(f, where))
    _each(
        _items(content, "instruments", where),
        where,
        "instruments",
        lambda i: records.save_instrument(validation.clean_instrument(i), reason=REASON),
    )
    ContentLoad.objects.update_or_create(source=path.name, defaults={"digest": digest})
    return True
