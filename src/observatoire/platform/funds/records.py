"""Saving validated funds, strands, supports, evaluations and instruments.

Every write goes through here (seed, API, form, admin), so every write leaves a history entry
with its author and reason; a save that would change nothing is skipped, so loading the same
content twice leaves no trace. Status changes of an existing support go through `status`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from observatoire.platform.funds import access, status
from observatoire.platform.funds.models import Evaluation, Fund, Instrument, Strand, Support
from observatoire.platform.funds.validation import (
    EvaluationData,
    FundData,
    InstrumentData,
    StrandData,
    SupportData,
)

M = TypeVar("M", bound=models.Model)


def _fields(data: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, keeping model instances as they are (unlike `asdict`)."""
    return {name: getattr(data, name) for name in data.__dataclass_fields__}


def _assign(instance: models.Model, values: Mapping[str, Any]) -> bool:
    """Copy `values` onto `instance`; True when something differs from what it held."""
    changed = instance.pk is None
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(instance: M, values: Mapping[str, Any], actor: Any, reason: str) -> tuple[M, bool]:
    if not _assign(instance, values):
        return instance, False
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance, True


@transaction.atomic
def save_fund(data: FundData, actor: Any = None, reason: str = "") -> tuple[Fund, bool]:
    """Create the fund of this slug or update it: (fund, changed). With an `actor`, only the
    fund's managers update it, and only administrators (`funds.add_fund`) create one."""
    fund = Fund.objects.filter(slug=data.slug).first()
    if fund is None:
        if actor is not None and not actor.has_perm("funds.add_fund"):
            raise PermissionDenied("only administrators create a fund")
        fund = Fund(slug=data.slug)
    else:
        _check_manager(actor, fund)
    return _save(fund, _fields(data), actor, reason or "edit")


@transaction.atomic
def save_strands(
    fund: Fund, strands: Iterable[StrandData], actor: Any = None, reason: str = ""
) -> int:
    """Create or update the fund's strands by code; returns how many changed."""
    changed = 0
    for data in strands:
        strand = Strand.objects.filter(fund=fund, code=data.code).first() or Strand(fund=fund)
        changed += _save(strand, _fields(data), actor, reason or "edit")[1]
    return changed


def _check_manager(actor: Any, fund: Fund) -> None:
    if actor is not None and not access.manages(actor, fund):
        raise PermissionDenied("only the fund's managers edit its supports")


@transaction.atomic
def save_support(
    fund: Fund, data: SupportData, actor: Any = None, reason: str = ""
) -> tuple[Support, bool]:
    """Create the support of this key in `fund`, or update it (shipped content, imports).

    With an `actor`, only the fund's managers may write, and a status change must be allowed;
    without one (content loaded by the operator) the write is the system's.
    """
    _check_manager(actor, fund)
    support = Support.objects.filter(fund=fund, key=data.key).first()
    if support is None:
        support = Support(fund=fund)
    elif actor is not None:
        status.check_change(support, data.status)
    return _save(support, _fields(data), actor, reason or "edit")


def _free_key(fund: Fund, base: str) -> str:
    key, n = base, 1
    while Support.objects.filter(fund=fund, key=key).exists():
        n += 1
        key = f"{base[:110]}-{n}"
    return key


@transaction.atomic
def create_support(fund: Fund, data: SupportData, actor: Any, reason: str = "") -> Support:
    """Record a new support (form, API): never overwrites one, its key is made free."""
    _check_manager(actor, fund)
    data.key = _free_key(fund, data.key)
    return _save(Support(fund=fund), _fields(data), actor, reason or "create")[0]


@transaction.atomic
def update_support(support: Support, data: SupportData, actor: Any, reason: str = "") -> bool:
    """Replace a support's content, keeping its key; its status only moves as `status` allows."""
    _check_manager(actor, support.fund)
    status.check_change(support, data.status)
    data.key = support.key
    return _save(support, _fields(data), actor, reason or "edit")[1]


@transaction.atomic
def save_evaluation(
    fund: Fund, data: EvaluationData, actor: Any = None, reason: str = ""
) -> tuple[Evaluation, bool]:
    _check_manager(actor, fund)
    evaluation = Evaluation.objects.filter(fund=fund, key=data.key).first() or Evaluation(fund=fund)
    return _save(evaluation, _fields(data), actor, reason or "edit")


@transaction.atomic
def save_instrument(
    data: InstrumentData, actor: Any = None, reason: str = ""
) -> tuple[Instrument, bool]:
    instrument = Instrument.objects.filter(slug=data.slug).first() or Instrument(slug=data.slug)
    if actor is not None and not _may_write(actor, instrument, data):
        raise PermissionDenied("only administrators and the fund's managers edit an instrument")
    return _save(instrument, _fields(data), actor, reason or "edit")


def _may_write(actor: Any, instrument: Instrument, data: InstrumentData) -> bool:
    """Administrators edit any instrument; a fund's managers those of their fund, kept in it."""
    if getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False):
        return True
    mine = instrument.pk is None or access.can_edit_instrument(actor, instrument)
    return mine and data.fund is not None and access.manages(actor, data.fund)
