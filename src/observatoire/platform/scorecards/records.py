"""Writes to a scorecard: every change goes through here, atomic and history-logged.

Callers pass validated data (`validation`) and the acting user, which the history records with
each change (web requests, API calls, imports and the command line alike).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from observatoire.errors import InputError
from observatoire.platform.alliances.models import Alliance, Partner
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
    Temporality,
)
from observatoire.platform.scorecards.validation import (
    AssetData,
    HealthAnswerData,
    IndicatorData,
    IndicatorRule,
    MeasurementData,
    PathwayData,
    SettingsData,
    StakeData,
)

M = TypeVar("M", bound=models.Model)


def _user(actor: Any) -> Any:
    """The acting user to record, or None (the command line, the seed loader, anonymous)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _save(instance: M, actor: Any) -> M:
    instance._history_user = _user(actor)  # type: ignore[attr-defined]
    instance.save()
    return instance


def delete(instance: models.Model, actor: Any) -> None:
    """Delete one row of a scorecard; the history keeps it, with who deleted it."""
    instance._history_user = _user(actor)  # type: ignore[attr-defined]
    with transaction.atomic():
        instance.delete()


def scorecard_for(alliance: Alliance, actor: Any = None) -> Scorecard:
    """The alliance's scorecard, created empty (visible to its partners only) the first time."""
    existing = Scorecard.objects.filter(alliance=alliance).first()
    return existing or _save(Scorecard(alliance=alliance), actor)


def update_settings(scorecard: Scorecard, data: SettingsData, actor: Any) -> Scorecard:
    """Who may read the scorecard (partners only, or the public) and its notes."""
    scorecard.visibility, scorecard.notes = data.visibility, data.notes
    return _save(scorecard, actor)


def _partner(alliance: Alliance, name: str) -> Partner | None:
    if not name:
        return None
    partner = alliance.partners.filter(name=name).first()
    if partner is None:
        raise InputError(f"{name!r} is not a partner of this alliance", field="partner")
    return partner


def _next_position(rows: Any) -> int:
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def save_asset(
    scorecard: Scorecard, data: AssetData, actor: Any, asset: Asset | None = None
) -> Asset:
    asset = asset or Asset(scorecard=scorecard, position=_next_position(scorecard.assets))
    for name in ("kind", "pillar", "description", "quantity", "unit", "value_eur",
                 "valuation_method", "source"):  # fmt: skip
        setattr(asset, name, getattr(data, name))
    asset.partner = _partner(scorecard.alliance, data.partner)
    return _save(asset, actor)


@transaction.atomic
def save_stake(
    scorecard: Scorecard, data: StakeData, actor: Any, stake: Stake | None = None
) -> Stake:
    stake = stake or Stake(scorecard=scorecard, position=_next_position(scorecard.stakes))
    for name in ("statement", "territory", "fragility", "sdg_target", "source", "evidence"):
        setattr(stake, name, getattr(data, name))
    return _save(stake, actor)


@transaction.atomic
def save_pathway(
    scorecard: Scorecard,
    asset: Asset,
    stake: Stake,
    data: PathwayData,
    actor: Any,
    pathway: Pathway | None = None,
) -> Pathway:
    if asset.scorecard_id != scorecard.pk or stake.scorecard_id != scorecard.pk:
        raise InputError("the asset and the stake must belong to this scorecard", field="asset")
    duplicate = Pathway.objects.filter(asset=asset, stake=stake, objective=data.objective)
    if pathway is not None:
        duplicate = duplicate.exclude(pk=pathway.pk)
    if duplicate.exists():
        raise InputError("this asset already serves this stake through this objective",
                         field="objective")  # fmt: skip
    pathway = pathway or Pathway(scorecard=scorecard)
    pathway.asset, pathway.stake = asset, stake
    pathway.objective = data.objective
    pathway.expected_impacts = data.expected_impacts
    pathway.hypothesis = data.hypothesis
    return _save(pathway, actor)


@transaction.atomic
def save_indicator(
    scorecard: Scorecard, data: IndicatorData, actor: Any, indicator: Indicator | None = None
) -> Indicator:
    """Create or change an indicator. Its unit, breakdown and temporality are fixed once it has
    measurements: changing them would silently change what the stored values mean."""
    taken = scorecard.indicators.filter(code=data.code)
    if indicator is not None:
        taken = taken.exclude(pk=indicator.pk)
    if taken.exists():
        raise InputError(f"this scorecard already has an indicator {data.code!r}", field="code")
    if indicator is not None and indicator.measurements.exists():
        for name in ("code", "unit", "breakdown", "temporality"):
            if getattr(indicator, name) != getattr(data, name):
                raise InputError(
                    "cannot change once measurements exist (export them, delete, then re-import)",
                    field=name,
                )
    stake = None
    if data.stake is not None:
        stakes = list(scorecard.stakes.all())
        if not 1 <= data.stake <= len(stakes):
            raise InputError(f"there is no stake number {data.stake}", field="stake")
        stake = stakes[data.stake - 1]
    indicator = indicator or Indicator(
        scorecard=scorecard, position=_next_position(scorecard.indicators)
    )
    for name in ("code", "is_common", "name", "definition", "perspective", "level", "unit",
                 "temporality", "direction", "breakdown", "impact", "objective", "reference",
                 "baseline", "baseline_date", "target", "target_date", "source",
                 "skipped_reason", "is_public"):  # fmt: skip
        setattr(indicator, name, getattr(data, name))
    indicator.stake = stake
    return _save(indicator, actor)


def rules(scorecard: Scorecard) -> dict[str, IndicatorRule]:
    """What each indicator's measurements must agree with, by code."""
    return {
        i.code: IndicatorRule(i.code, i.unit, i.breakdown, i.temporality, i.tracked)
        for i in scorecard.indicators.all()
    }


@dataclass(frozen=True)
class SaveReport:
    created: int
    updated: int
    unchanged: int


def _key(indicator: str, row: MeasurementData | Measurement) -> tuple[str, Any, str]:
    return (indicator, row.date, row.breakdown_code)


def check_periods(
    scorecard: Scorecard, rows: Sequence[MeasurementData]
) -> list[tuple[int, InputError]]:
    """Flow measurements of one indicator and breakdown must not overlap in time (they would be
    counted twice in a yearly total): (index of the row, error) for each row that overlaps."""
    flows = set(
        scorecard.indicators.filter(temporality=Temporality.FLOW).values_list("code", flat=True)
    )
    incoming = {_key(r.indicator, r) for r in rows}
    spans: dict[tuple[str, str], list[tuple[Any, Any, int | None]]] = {}
    for m in Measurement.objects.filter(scorecard=scorecard, indicator__code__in=flows).values(
        "indicator__code", "period_start", "date", "breakdown_code"
    ):
        if (m["indicator__code"], m["date"], m["breakdown_code"]) in incoming:
            continue  # replaced by the incoming row of the same key
        key = (m["indicator__code"], m["breakdown_code"])
        spans.setdefault(key, []).append((m["period_start"] or m["date"], m["date"], None))
    for index, r in enumerate(rows):
        if r.indicator in flows:
            key = (r.indicator, r.breakdown_code)
            spans.setdefault(key, []).append((r.period_start or r.date, r.date, index))
    errors = []
    for (code, _), items in spans.items():
        items.sort(key=lambda s: (s[0], s[1]))
        for (start_a, end_a, index_a), (start_b, end_b, index_b) in itertools.pairwise(items):
            if start_b <= end_a:
                culprit = index_b if index_b is not None else index_a
                if culprit is not None:
                    message = (
                        f"the period {start_b} – {end_b} of {code!r} overlaps the period "
                        f"{start_a} – {end_a}: a flow would be counted twice"
                    )
                    errors.append((culprit, InputError(message, field="period_start")))
    return errors


@transaction.atomic
def save_measurements(
    scorecard: Scorecard, rows: Iterable[MeasurementData], actor: Any
) -> SaveReport:
    """Create or update measurements by (indicator, date, breakdown). All rows are valid (the
    caller validated them and `check_periods`), so they are saved together or not at all."""
    indicators = {i.code: i for i in scorecard.indicators.all()}
    existing = {
        _key(m.indicator.code, m): m
        for m in Measurement.objects.filter(scorecard=scorecard).select_related("indicator")
    }
    fresh: dict[tuple[str, Any, str], Measurement] = {}
    updated = unchanged = 0
    for row in rows:
        fields = {
            "period_start": row.period_start,
            "value": row.value,
            "source": row.source,
            "source_url": row.source_url,
            "confidence": row.confidence,
            "note": row.note,
        }
        key = _key(row.indicator, row)
        measurement = existing.get(key)
        if measurement is None:
            fresh[key] = Measurement(
                scorecard=scorecard,
                indicator=indicators[row.indicator],
                date=row.date,
                breakdown_code=row.breakdown_code,
                entered_by=_user(actor),
                **fields,
            )
            continue
        if all(getattr(measurement, k) == v for k, v in fields.items()):
            unchanged += 1
            continue
        for name, value in fields.items():
            setattr(measurement, name, value)
        _save(measurement, actor)
        updated += 1
    # New rows in one insert (and one for their history): a 5,000-row file in a fraction of the
    # time of 10,000 single inserts.
    bulk_create_with_history(list(fresh.values()), Measurement, default_user=_user(actor))
    created = len(fresh)
    return SaveReport(created, updated, unchanged)


@transaction.atomic
def grant(alliance: Alliance, partner: Partner, user: Any, actor: Any) -> PartnerRepresentative:
    """Let `user` act for `partner` in `alliance` (one partner per user and alliance)."""
    if partner.alliance_id != alliance.pk:
        raise InputError("this partner is not one of the alliance's", field="partner")
    current = PartnerRepresentative.objects.filter(alliance=alliance, user=user).first()
    if current is not None and current.partner_id != partner.pk:
        raise InputError(f"{user} already acts for {current.partner} in this alliance",
                         field="user")  # fmt: skip
    if current is not None:
        return current
    representative = PartnerRepresentative(
        alliance=alliance, partner=partner, user=user, granted_by=_user(actor)
    )
    return _save(representative, actor)


@transaction.atomic
def open_health_check(scorecard: Scorecard, title: str, actor: Any) -> HealthCheck:
    return _save(HealthCheck(scorecard=scorecard, title=title, opened_by=_user(actor)), actor)


@transaction.atomic
def answer_health_check(
    check: HealthCheck, partner: Partner, answers: Sequence[HealthAnswerData], actor: Any
) -> HealthResponse:
    """Record (or replace) `partner`'s answers to the round `check`."""
    if partner.alliance_id != check.scorecard.alliance_id:
        raise InputError("this partner is not one of the alliance's", field="partner")
    response = HealthResponse.objects.filter(check_round=check, partner=partner).first()
    response = response or HealthResponse(check_round=check, partner=partner)
    response.answered_by = _user(actor)
    response.answered_at = timezone.now()
    _save(response, actor)
    current = {a.item: a for a in response.answers.all()}
    for data in answers:
        answer = current.get(data.item) or HealthAnswer(response=response, item=data.item)
        if answer.pk and (answer.rating, answer.comment) == (data.rating, data.comment):
            continue
        answer.rating, answer.comment = data.rating, data.comment
        _save(answer, actor)
    return response
