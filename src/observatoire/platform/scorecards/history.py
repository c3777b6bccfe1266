"""The history of a scorecard: every change to any of its rows, newest first, with who made it
and which fields changed (from django-simple-history's tables, one per model)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from observatoire.platform.scorecards.models import (
    Asset,
    HealthAnswer,
    HealthCheck,
    HealthResponse,
    Indicator,
    Measurement,
    PartnerRepresentative,
    Pathway,
    Scorecard,
    Stake,
)

PER_PAGE = 50
ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass(frozen=True)
class Entry:
    at: datetime
    user: Any
    action: str  # "+", "~" or "-"
    what: str  # the model's verbose name
    row: str
    changes: list[tuple[str, Any, Any]]  # (field, before, after) of a modification


def _records(scorecard: Scorecard) -> Any:
    checks = HealthCheck.history.filter(scorecard_id=scorecard.pk).values_list("id", flat=True)
    responses = HealthResponse.history.filter(check_round_id__in=checks).values_list(
        "id", flat=True
    )
    return (
        Scorecard.history.filter(id=scorecard.pk),
        PartnerRepresentative.history.filter(alliance_id=scorecard.alliance_id),
        *(model.history.filter(scorecard_id=scorecard.pk)
          for model in (Asset, Stake, Pathway, Indicator, Measurement, HealthCheck)),
        HealthResponse.history.filter(check_round_id__in=checks),
        HealthAnswer.history.filter(response_id__in=responses),
    )  # fmt: skip


def _describe(record: Any) -> str:
    """The row as it was, without failing when a row it refers to is gone since."""
    try:
        return str(record.instance)[:120]
    except ObjectDoesNotExist:
        return f"#{record.id}"


def entries(scorecard: Scorecard, page: int = 1) -> tuple[list[Entry], bool]:
    """One page of the history (newest first) and whether an older page exists."""
    end = page * PER_PAGE + 1
    newest = sorted(
        chain.from_iterable(qs.select_related("history_user").order_by("-history_date")[:end]
                            for qs in _records(scorecard)),
        key=lambda h: h.history_date,
        reverse=True,
    )[(page - 1) * PER_PAGE : end]  # fmt: skip
    out = []
    for record in newest[:PER_PAGE]:
        changes = []
        if record.history_type == "~" and record.prev_record is not None:
            delta = record.diff_against(record.prev_record)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        out.append(
            Entry(
                record.history_date,
                record.history_user,
                record.history_type,
                str(record.instance_type._meta.verbose_name),
                _describe(record),
                changes,
            )
        )
    return out, len(newest) > PER_PAGE
