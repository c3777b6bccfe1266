"""Validation of scorecard content given as plain data: one module for every way in.

Forms, the API, the measurement files (CSV, Excel), the seed content and the admin all call these
functions, so a value is checked the same way whatever its source. Each raises `InputError`
naming the field (the importer adds the file, row and column). Text is trimmed, length-limited
and never contains NUL bytes; links are http(s) only; numbers accept the French "1 234,5".
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from observatoire import vocabularies as v
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.scorecards import catalogue

LIMITS = {
    "statement": 500,
    "description": 500,
    "valuation_method": 300,
    "source": 500,
    "source_url": 500,
    "hypothesis": 500,
    "name": 200,
    "definition": 1000,
    "reference": 60,
    "skipped_reason": 300,
    "note": 1000,
    "comment": 1000,
    "title": 100,
    "notes": 4000,
}
MAX_VALUE = Decimal("1e14")  # the models keep 18 digits, 4 after the point
_SDG_TARGET = re.compile(r"^(\d{1,2})\.([0-9]{1,2}|[a-c])$")
_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def text(
    data: Mapping[str, Any], name: str, *, required: bool = False, limit: int | None = None
) -> str:
    """A trimmed text field: required or not, at most `limit` (default LIMITS[name], else 200)
    characters, no NUL byte."""
    value = data.get(name)
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InputError("expected text", field=name)
    result = str(value).strip()
    if "\x00" in result:
        raise InputError("contains a NUL byte", field=name)
    if required and not result:
        raise InputError("is required", field=name)
    limit = limit or LIMITS.get(name, 200)
    if len(result) > limit:
        raise InputError(f"is longer than {limit} characters", field=name)
    return result


def url(data: Mapping[str, Any], name: str) -> str:
    """An optional link: http or https with a host, nothing else (no javascript:, no file:)."""
    value = text(data, name)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError("must be an http:// or https:// address", field=name)
    return value


def code(data: Mapping[str, Any], name: str, vocabulary: v.Vocabulary, *, required: bool) -> str:
    value = text(data, name, required=required)
    if value and value not in vocabulary:
        allowed = ", ".join(vocabulary.codes)
        raise InputError(f"unknown code {value!r} (allowed: {allowed})", field=name)
    return value


def codes(data: Mapping[str, Any], name: str, vocabulary: v.Vocabulary) -> list[str]:
    value = data.get(name)
    if value in (None, ""):
        return []
    items = value.split("|") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InputError("expected a list of codes", field=name)
    return list(
        dict.fromkeys(code({name: item}, name, vocabulary, required=True) for item in items)
    )


def number(data: Mapping[str, Any], name: str, *, required: bool = False) -> Decimal | None:
    """A decimal number: 1234.5, "1 234,5" or "1234,5"; at most 10^14 in absolute value."""
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError("is required", field=name)
        return None
    if isinstance(value, bool):
        raise InputError(f"{value!r} is not a number", field=name)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{value!r} is not a finite number", field=name)
    raw = str(value).strip()
    if "\x00" in raw:
        raise InputError("contains a NUL byte", field=name)
    cleaned = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(f"{raw[:40]!r} is not a number", field=name) from None
    if not result.is_finite():
        raise InputError(f"{raw[:40]!r} is not a finite number", field=name)
    if abs(result) >= MAX_VALUE:
        raise InputError("is too large (at most 10^14)", field=name)
    return result.quantize(Decimal("0.0001"))


def date(data: Mapping[str, Any], name: str, *, required: bool = False) -> datetime.date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise InputError("is required (YYYY-MM-DD)", field=name)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = str(value).strip()
    try:
        result = datetime.date.fromisoformat(raw[:10] if len(raw) > 10 and raw[10] in "T " else raw)
    except ValueError:
        raise InputError(f"{raw[:40]!r} is not a date YYYY-MM-DD", field=name) from None
    if not 1900 <= result.year <= 2200:
        raise InputError(f"{raw!r} is out of range (years 1900 to 2200)", field=name)
    return result


def boolean(data: Mapping[str, Any], name: str, *, default: bool) -> bool:
    value = data.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    folded = str(value).strip().lower()
    if folded in ("1", "true", "oui", "yes", "on"):
        return True
    if folded in ("0", "false", "non", "no", "off"):
        return False
    raise InputError(f"{value!r} is not yes or no", field=name)


def _known_fields(data: Mapping[str, Any], known: Iterable[str]) -> None:
    if not isinstance(data, Mapping):
        raise InputError("expected a mapping of fields")
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(map(str, unknown))}", field=unknown[0])


@dataclass
class SettingsData:
    visibility: str
    notes: str = ""


def clean_settings(data: Mapping[str, Any], *, partial: bool = False) -> SettingsData:
    """Visibility ("partners" or "public") and notes; `partial` ignores other keys (seed)."""
    if not partial:
        _known_fields(data, ("visibility", "notes"))
    visibility = _choice(data, "visibility", ("partners", "public"), "partners")
    return SettingsData(visibility, text(data, "notes"))


@dataclass
class AssetData:
    kind: str
    pillar: str
    description: str
    quantity: Decimal | None = None
    unit: str = ""
    value_eur: Decimal | None = None
    valuation_method: str = ""
    partner: str = ""  # the partner's name, as on the fiche
    source: str = ""


ASSET_FIELDS = (
    "kind", "pillar", "description", "quantity", "unit", "value_eur", "valuation_method",
    "partner", "source",
)  # fmt: skip


def clean_asset(data: Mapping[str, Any], partners: Iterable[str]) -> AssetData:
    """An asset; its pillar follows from its kind, the partner must be one of the fiche's."""
    _known_fields(data, ASSET_FIELDS)
    kind = code(data, "kind", v.ASSET_KINDS, required=True)
    pillar = catalogue.PILLAR_OF_KIND[kind]
    given = code(data, "pillar", v.PILLARS, required=False)
    if given and given != pillar:
        raise InputError(f"the kind {kind!r} belongs to the pillar {pillar!r}", field="pillar")
    quantity, unit = number(data, "quantity"), code(data, "unit", v.UNITS, required=False)
    if quantity is not None and not unit:
        raise InputError("a quantity needs its unit", field="unit")
    if quantity is not None and quantity < 0:
        raise InputError("cannot be negative", field="quantity")
    value_eur = number(data, "value_eur")
    method = text(data, "valuation_method")
    if value_eur is not None and value_eur < 0:
        raise InputError("cannot be negative", field="value_eur")
    if value_eur is not None and not method:
        raise InputError("say how the euro value was obtained", field="valuation_method")
    partner = text(data, "partner")
    if partner and partner not in set(partners):
        raise InputError(f"{partner!r} is not a partner of this alliance", field="partner")
    return AssetData(
        kind=kind,
        pillar=pillar,
        description=text(data, "description", required=True),
        quantity=quantity,
        unit=unit,
        value_eur=value_eur,
        valuation_method=method,
        partner=partner,
        source=text(data, "source"),
    )


@dataclass
class StakeData:
    statement: str
    territory: str
    fragility: str = ""
    sdg_target: str = ""
    source: str = ""
    evidence: dict[str, Any] | None = None


STAKE_FIELDS = ("statement", "territory", "fragility", "sdg_target", "source", "evidence")


def sdg_target(data: Mapping[str, Any]) -> str:
    """An SDG target as the UN numbers it: goal 1–17, then a number or a letter ("4.1", "17.a")."""
    value = text(data, "sdg_target").lower()
    if not value:
        return ""
    match = _SDG_TARGET.match(value)
    if not match or not 1 <= int(match.group(1)) <= 17:
        raise InputError(f"{value!r} is not an SDG target such as 4.1 or 17.17", field="sdg_target")
    return value


def clean_stake(data: Mapping[str, Any]) -> StakeData:
    _known_fields(data, STAKE_FIELDS)
    fragility = code(data, "fragility", v.FRAGILITIES, required=False)
    target = sdg_target(data)
    if not fragility and not target:
        raise InputError("a stake names a fragility, an SDG target or both", field="fragility")
    ref = text(data, "territory", required=True)
    try:
        territory = places.place(ref).ref
    except InputError as exc:
        raise InputError(exc.message, field="territory") from None
    evidence = data.get("evidence")
    if evidence is not None and not isinstance(evidence, dict):
        raise InputError("expected a mapping", field="evidence")
    return StakeData(
        statement=text(data, "statement", required=True),
        territory=territory,
        fragility=fragility,
        sdg_target=target,
        source=text(data, "source"),
        evidence=evidence,
    )


@dataclass
class PathwayData:
    objective: str
    expected_impacts: list[str]
    hypothesis: str = ""


def clean_pathway(data: Mapping[str, Any]) -> PathwayData:
    """The objective and expected impacts of an asset → stake link (the caller resolves both)."""
    _known_fields(data, ("asset", "stake", "objective", "expected_impacts", "hypothesis"))
    impacts = codes(data, "expected_impacts", v.IMPACTS)
    if not impacts:
        raise InputError("name at least one expected impact", field="expected_impacts")
    return PathwayData(
        objective=code(data, "objective", v.OBJECTIVES, required=True),
        expected_impacts=impacts,
        hypothesis=text(data, "hypothesis"),
    )


@dataclass
class IndicatorData:
    code: str
    is_common: bool
    name: str
    perspective: str
    level: str
    unit: str
    temporality: str
    breakdown: str = ""
    definition: str = ""
    direction: str = "hausse"
    impact: str = ""
    objective: str = ""
    stake: int | None = None  # position of the stake in the scorecard (1-based), if any
    reference: str = ""
    baseline: Decimal | None = None
    baseline_date: datetime.date | None = None
    target: Decimal | None = None
    target_date: datetime.date | None = None
    source: str = ""
    skipped_reason: str = ""
    is_public: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


INDICATOR_FIELDS = (
    "code", "name", "definition", "perspective", "level", "unit", "temporality", "direction",
    "breakdown", "impact", "objective", "stake", "reference", "baseline", "baseline_date",
    "target", "target_date", "source", "skipped_reason", "is_public",
)  # fmt: skip


def clean_indicator(data: Mapping[str, Any]) -> IndicatorData:
    """An indicator. A common-core code fixes the name, unit, level, perspective, temporality
    and breakdown (shared semantics, so roll-ups can add them); a specific one declares them."""
    _known_fields(data, INDICATOR_FIELDS)
    slug = text(data, "code", required=True).lower()
    if not _CODE.match(slug) or len(slug) > 60:
        raise InputError("use lowercase letters, digits and hyphens (at most 60)", field="code")
    common = catalogue.COMMON_BY_CODE.get(slug)
    fixed: dict[str, Any]
    if common is not None:
        fixed = {
            "name": common.name,
            "perspective": common.perspective,
            "level": common.level,
            "unit": common.unit,
            "temporality": common.temporality,
            "breakdown": common.breakdown,
        }
        for name, value in fixed.items():
            given = text(data, name)
            if given and given != value:
                raise InputError(
                    f"the common indicator {slug!r} has {name} {value!r}, not {given!r}", field=name
                )
        definition = text(data, "definition") or common.definition
    else:
        fixed = {
            "name": text(data, "name", required=True),
            "perspective": code(data, "perspective", v.SCORECARD_PERSPECTIVES, required=True),
            "level": code(data, "level", v.INDICATOR_LEVELS, required=True),
            "unit": code(data, "unit", v.UNITS, required=True),
            "temporality": _choice(data, "temporality", ("flux", "stock"), "flux"),
            "breakdown": _choice(data, "breakdown", ("", *catalogue.BREAKDOWNS), ""),
        }
        definition = text(data, "definition")
    baseline, baseline_date = number(data, "baseline"), date(data, "baseline_date")
    target, target_date = number(data, "target"), date(data, "target_date")
    if baseline is not None and baseline_date is None:
        raise InputError("a baseline needs its date", field="baseline_date")
    if target is not None and target_date is None:
        raise InputError("a target needs its date", field="target_date")
    if baseline_date and target_date and target_date <= baseline_date:
        raise InputError("the target date must come after the baseline", field="target_date")
    stake = data.get("stake")
    if stake in (None, ""):
        stake_position = None
    else:
        try:
            stake_position = int(str(stake))
        except ValueError:
            raise InputError(f"{stake!r} is not a stake number", field="stake") from None
    return IndicatorData(
        code=slug,
        is_common=common is not None,
        **fixed,
        definition=definition,
        direction=_choice(data, "direction", ("hausse", "baisse"), "hausse"),
        impact=code(data, "impact", v.IMPACTS, required=False),
        objective=code(data, "objective", v.OBJECTIVES, required=False),
        stake=stake_position,
        reference=text(data, "reference"),
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
        source=text(data, "source"),
        skipped_reason=text(data, "skipped_reason"),
        is_public=boolean(data, "is_public", default=True),
    )


def _choice(data: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = text(data, name) or default
    if value not in allowed:
        shown = ", ".join(a or '""' for a in allowed)
        raise InputError(f"unknown value {value!r} (allowed: {shown})", field=name)
    return value


@dataclass
class MeasurementData:
    indicator: str  # the indicator's code
    date: datetime.date
    value: Decimal
    source: str
    confidence: str
    period_start: datetime.date | None = None
    breakdown_code: str = ""
    source_url: str = ""
    note: str = ""


# The columns of a measurement file, in export order; `name` and `unit` are for people reading
# the file (the unit is checked against the indicator's when present, the name is ignored).
MEASUREMENT_COLUMNS = (
    "indicator", "name", "unit", "period_start", "date", "breakdown", "value", "confidence",
    "source", "source_url", "note",
)  # fmt: skip
REQUIRED_COLUMNS = ("indicator", "date", "value", "confidence", "source")


@dataclass(frozen=True)
class IndicatorRule:
    """What a measurement must agree with: the indicator's unit, breakdown and temporality."""

    code: str
    unit: str
    breakdown: str
    temporality: str
    tracked: bool


def clean_measurement(
    data: Mapping[str, Any], rules: Mapping[str, IndicatorRule]
) -> MeasurementData:
    """A measurement of one of the scorecard's indicators (`rules`, by code)."""
    _known_fields(data, MEASUREMENT_COLUMNS)
    indicator = text(data, "indicator", required=True)
    rule = rules.get(indicator)
    if rule is None:
        known = ", ".join(sorted(rules)) or "none yet"
        raise InputError(f"unknown indicator {indicator!r} (this scorecard has: {known})",
                         field="indicator")  # fmt: skip
    if not rule.tracked:
        raise InputError(f"the indicator {indicator!r} is marked as not tracked", field="indicator")
    unit = text(data, "unit")
    if unit and unit != rule.unit and unit != v.UNITS[rule.unit].fr:
        raise InputError(f"the indicator's unit is {rule.unit!r}, not {unit!r}", field="unit")
    when = date(data, "date", required=True)
    start = date(data, "period_start")
    assert when is not None
    if start is not None and start > when:
        raise InputError("the period starts after its end date", field="period_start")
    if start is not None and rule.temporality == "stock":
        raise InputError("a stock is measured at a date, not over a period", field="period_start")
    breakdown = text(data, "breakdown")
    if rule.breakdown:
        vocabulary = catalogue.BREAKDOWNS[rule.breakdown]
        if breakdown and breakdown not in vocabulary:
            allowed = ", ".join(vocabulary.codes)
            raise InputError(f"unknown code {breakdown!r} (allowed: {allowed})", field="breakdown")
    elif breakdown:
        raise InputError(f"the indicator {indicator!r} has no breakdown", field="breakdown")
    value = number(data, "value", required=True)
    assert value is not None
    if value < 0 and rule.unit in catalogue.ADDITIVE_UNITS:
        raise InputError("a count or an amount cannot be negative", field="value")
    return MeasurementData(
        indicator=indicator,
        date=when,
        value=value,
        source=text(data, "source", required=True),
        confidence=code(data, "confidence", v.CONFIDENCE_LEVELS, required=True),
        period_start=start,
        breakdown_code=breakdown,
        source_url=url(data, "source_url"),
        note=text(data, "note"),
    )


@dataclass
class HealthAnswerData:
    item: str
    rating: int
    comment: str = ""


def clean_health_answers(data: Mapping[str, Any]) -> list[HealthAnswerData]:
    """One rating 1–5 per item of the questionnaire (`<item>` and optional `<item>_comment`)."""
    known = [name for item in v.HEALTH_ITEMS.codes for name in (item, f"{item}_comment")]
    _known_fields(data, known)
    answers = []
    for item in v.HEALTH_ITEMS.codes:
        raw = text(data, item, required=True)
        if raw not in ("1", "2", "3", "4", "5"):
            raise InputError(f"{raw!r} is not a rating from 1 to 5", field=item)
        comment = text(data, f"{item}_comment", limit=LIMITS["comment"])
        answers.append(HealthAnswerData(item, int(raw), comment))
    return answers
