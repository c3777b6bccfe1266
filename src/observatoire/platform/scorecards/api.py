"""The scorecards in the platform's API: published scorecards of published fiches, their
measurements and the roll-ups (open data); partners push measurements with a bearer token.

Reads never show a private scorecard or an unpublished indicator: they answer 404 as if it did
not exist. Every query parameter is bounded (paging, lengths); a bad value answers 400 with a
sentence; a bad measurement answers 422 naming its row and field, and nothing is saved.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from observatoire.errors import InputError
from observatoire.platform.accounts.auth import token_auth
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.scorecards import access, board, measurement_files, records, rollups
from observatoire.platform.scorecards.models import Measurement, Scorecard
from observatoire.platform.scorecards.validation import LIMITS

router = Router(tags=["scorecards"])
MAX_PER_PAGE = 100
MAX_ROWS = 5_000


class ErrorOut(Schema):
    detail: str


class ListQuery(Schema):
    territory: str = Field("", max_length=40, description="INSEE code, SIREN, REG-11, DEP-94…")
    objective: str = Field("", max_length=60)
    impact: str = Field("", max_length=60)
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class ScorecardSummaryOut(Schema):
    slug: str
    title: str
    url: str
    updated_at: datetime.datetime
    indicators: int


class ScorecardListOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[ScorecardSummaryOut]


class AssetOut(Schema):
    pillar: str
    kind: str
    description: str
    quantity: Decimal | None
    unit: str
    value_eur: Decimal | None
    valuation_method: str
    partner: str | None
    source: str


class StakeOut(Schema):
    statement: str
    fragility: str
    sdg_target: str
    territory: str
    source: str
    evidence: dict[str, Any] | None


class PathwayOut(Schema):
    asset: str
    stake: str
    objective: str
    expected_impacts: list[str]
    hypothesis: str


class MeasurementOut(Schema):
    indicator: str
    period_start: datetime.date | None
    date: datetime.date
    breakdown: str
    value: Decimal
    confidence: str
    source: str
    source_url: str
    note: str


class StatusOut(Schema):
    colour: str
    label: str
    latest: Decimal | None
    latest_date: datetime.date | None
    progress: Decimal | None
    expected: Decimal | None


class IndicatorOut(Schema):
    code: str
    common: bool
    name: str
    definition: str
    perspective: str
    level: str
    unit: str
    temporality: str
    direction: str
    breakdown: str
    impact: str
    objective: str
    reference: str
    baseline: Decimal | None
    baseline_date: datetime.date | None
    target: Decimal | None
    target_date: datetime.date | None
    source: str
    skipped_reason: str
    status: StatusOut
    measurements: list[MeasurementOut]


class ScorecardOut(Schema):
    slug: str
    title: str
    url: str
    notes: str
    updated_at: datetime.datetime
    assets: list[AssetOut]
    stakes: list[StakeOut]
    pathways: list[PathwayOut]
    indicators: list[IndicatorOut]
    licence: str


class RollupQuery(Schema):
    territory: str = Field("", max_length=40)
    objective: str = Field("", max_length=60)
    impact: str = Field("", max_length=60)
    year: int | None = Field(None, ge=1900, le=2200)


class ContributionOut(Schema):
    slug: str
    title: str
    value: Decimal
    confidence: list[str]


class RollupLineOut(Schema):
    indicator: str
    unit: str
    breakdown: str
    total: Decimal
    alliances: list[ContributionOut]


class LeftOutOut(Schema):
    label: str
    reason: str
    alliances: list[str]


class RollupOut(Schema):
    year: int | None
    years: list[int]
    alliances: int
    lines: list[RollupLineOut]
    left_out: list[LeftOutOut]


def _text(name: str, required: bool = False) -> Any:
    return Field(... if required else "", max_length=LIMITS.get(name, 200))


class MeasurementIn(Schema):
    indicator: str = Field(..., max_length=60)
    date: str = Field(..., max_length=10, description="YYYY-MM-DD (end of the period)")
    period_start: str = Field("", max_length=10)
    breakdown: str = Field("", max_length=40)
    value: str = Field(..., max_length=40, description='a number: "1234.5" or "1 234,5"')
    confidence: str = Field(..., max_length=20, description="declaratif, mesure or audite")
    source: str = _text("source", required=True)
    source_url: str = _text("source_url")
    note: str = _text("note")


class MeasurementsIn(Schema):
    measurements: list[MeasurementIn] = Field(..., max_length=MAX_ROWS)


class SavedOut(Schema):
    created: int
    updated: int
    unchanged: int


def _public(slug: str) -> Scorecard:
    scorecard = (
        access.public_scorecards()
        .select_related("alliance")
        .filter(alliance__slug=slug[:120])
        .first()
    )
    if scorecard is None:
        raise HttpError(404, "Not Found")
    return scorecard


def _url(request: HttpRequest, alliance: Alliance) -> str:
    from observatoire.platform.scorecards.views import board_url

    return request.build_absolute_uri(board_url(alliance))


@router.get("/scorecards", response={200: ScorecardListOut, 400: ErrorOut})
def list_scorecards(request: HttpRequest, query: Query[ListQuery]) -> Any:
    """Published scorecards of published fiches, by territory (up and down), objective, impact."""
    try:
        filters = rollups.Filters(query.territory, query.objective, query.impact).clean()
    except InputError as exc:
        return Status(400, {"detail": str(exc)})
    found = rollups.scorecards(filters).order_by("alliance__title", "pk")
    start = (query.page - 1) * query.per_page
    page = list(found[start : start + query.per_page])
    return {
        "count": found.count(),
        "page": query.page,
        "per_page": query.per_page,
        "results": [
            {"slug": s.alliance.slug, "title": s.alliance.title, "url": _url(request, s.alliance),
             "updated_at": s.updated_at, "indicators": s.indicators.filter(is_public=True).count()}
            for s in page
        ],
    }  # fmt: skip


def _measurement(m: Measurement) -> dict[str, Any]:
    return {
        "indicator": m.indicator.code, "period_start": m.period_start, "date": m.date,
        "breakdown": m.breakdown_code, "value": m.value, "confidence": m.confidence,
        "source": m.source, "source_url": m.source_url, "note": m.note,
    }  # fmt: skip


@router.get("/scorecards/rollup", response={200: RollupOut, 400: ErrorOut})
def rollup(request: HttpRequest, query: Query[RollupQuery]) -> Any:
    """Common-core indicators added up over published scorecards, and what was left out."""
    try:
        filters = rollups.Filters(query.territory, query.objective, query.impact,
                                  query.year).clean()  # fmt: skip
    except InputError as exc:
        return Status(400, {"detail": str(exc)})
    result = rollups.rollup(filters)
    return {
        "year": result.year, "years": result.years, "alliances": result.alliances,
        "lines": [{"indicator": line.code, "unit": line.unit, "breakdown": line.breakdown,
                   "total": line.total,
                   "alliances": [vars(c) for c in line.contributions]} for line in result.lines],
        "left_out": [vars(entry) for entry in result.left_out],
    }  # fmt: skip


@router.get("/scorecards/{slug}", response=ScorecardOut)
def get_scorecard(request: HttpRequest, slug: str) -> Any:
    """A published scorecard: assets, stakes, pathways, published indicators with their status
    against their targets and their measurements."""
    scorecard = _public(slug)
    data = board.build(scorecard, AnonymousUser())  # open data: what the public sees
    alliance = scorecard.alliance
    return {
        "slug": alliance.slug, "title": alliance.title, "url": _url(request, alliance),
        "notes": scorecard.notes, "updated_at": scorecard.updated_at,
        "licence": "Licence Ouverte 2.0",
        "assets": [
            {**{k: getattr(a, k) for k in ("pillar", "kind", "description", "quantity", "unit",
                                            "value_eur", "valuation_method", "source")},
             "partner": a.partner.name if a.partner else None}
            for pillar in data.pillars for a in pillar.assets
        ],
        "stakes": [
            {k: getattr(s, k) for k in ("statement", "fragility", "sdg_target", "territory",
                                         "source", "evidence")}
            for s, _name in data.stakes
        ],
        "pathways": [
            {"asset": p.asset.description, "stake": p.stake.statement, "objective": p.objective,
             "expected_impacts": p.expected_impacts, "hypothesis": p.hypothesis}
            for p in data.pathways
        ],
        "indicators": [
            {**{k: getattr(line.indicator, k) for k in (
                "code", "name", "definition", "perspective", "level", "unit", "temporality",
                "direction", "breakdown", "impact", "objective", "reference", "baseline",
                "baseline_date", "target", "target_date", "source", "skipped_reason")},
             "common": line.indicator.is_common,
             "status": {**vars(line.status), "label": str(line.status.label)},
             "measurements": [_measurement(m) for m in line.measurements]}
            for line in data.lines()
        ],
    }  # fmt: skip


@router.post(
    "/scorecards/{slug}/measurements",
    response={200: SavedOut, 404: ErrorOut, 422: ErrorOut},
    auth=token_auth,
)
def push_measurements(request: HttpRequest, slug: str, payload: MeasurementsIn) -> Any:
    """Create or update measurements (by indicator, date and breakdown) of an alliance the
    token's user acts for (or any, for a curator). All rows are checked first: one bad row and
    nothing is saved, and the answer names it (`measurements[3]`, field)."""
    alliance = Alliance.objects.filter(slug=slug[:120]).first()
    if alliance is None or not access.can_edit(request.user, alliance):
        # 404 rather than 403: a token's user learns nothing of alliances it does not act for
        return Status(404, {"detail": "Not Found"})
    scorecard = records.scorecard_for(alliance, request.user)
    numbered = [
        (number, {k: v for k, v in item.model_dump().items() if v != ""})
        for number, item in enumerate(payload.measurements, start=1)
    ]
    valid, errors = measurement_files.check_rows(scorecard, numbered)
    if errors:
        details = "; ".join(f"measurements[{n}]: {e}" for n, e in errors[:20])
        return Status(422, {"detail": f"{len(errors)} bad row(s), nothing saved: {details}"})
    return vars(records.save_measurements(scorecard, valid, request.user))
