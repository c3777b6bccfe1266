"""A record's history as its managers read it: when, who, what kind of change, which fields."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

_ACTIONS = {"+": _("création"), "~": _("modification"), "-": _("suppression")}


@dataclass(frozen=True)
class Change:
    at: datetime.datetime
    user: Any
    action: str
    reason: str
    fields: tuple[str, ...]  # verbose names of the fields that changed


def changes(instance: Any, limit: int = 50) -> list[Change]:
    """The latest changes first, each with the fields that differ from the previous version."""
    records = list(instance.history.select_related("history_user")[: limit + 1])
    meta = instance._meta
    out = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        changed: tuple[str, ...] = ()
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changed = tuple(
                str(meta.get_field(c.field).verbose_name)
                for c in delta.changes
                if c.field not in ("updated_at",)
            )
        out.append(
            Change(
                at=record.history_date,
                user=record.history_user,
                action=str(_ACTIONS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                fields=changed,
            )
        )
    return out[:limit]
