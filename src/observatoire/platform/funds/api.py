"""The funds on the platform's API: funds with their figures, supports, evaluations, instruments
and the instrument finder; token-authenticated writes for the fund's managers.

Reads show what the caller may see (anonymous callers: published records only; a private
record answers 404 as a missing one). Lists are paged (`page` ≥ 1, `per_page` 1–100). Amounts
are euros as numbers; a fund's direct funding is a range (`low`, `high`, `unknown_amounts`)
when the sources leave an overlap open.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, WithJsonSchema

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.accounts.auth import token_auth
from observatoire.platform.alliances import places
from observatoire.platform.alliances import workflow as fiches
from observatoire.platform.apitypes import code_field
from observatoire.platform.funds import access, figures, instruments, records, status, validation
from observatoire.platform.funds.models import Evaluation, Fund, Instrument, Support

router = Router(tags=["funds"])
_SLUG = re.compile(r"^[a-z0-9-]{1,120}$")
MAX_PER_PAGE = 100


def _slug(value: str) -> str:
    """Path parameters are slugs; anything else is a record that cannot exist (404)."""
    if not _SLUG.match(value):
        raise HttpError(404, "Not Found")
    return value


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


def _page(queryset: QuerySet[Any], paging: Paging) -> tuple[int, list[Any]]:
    start = (paging.page - 1) * paging.per_page
    return queryset.count(), list(queryset[start : start + paging.per_page])


class ErrorOut(Schema):
    detail: str


class AmountOut(Schema):
    low: float = Field(description="Sum counting once the amounts that may be included in others")
    high: float = Field(description="Sum of all stated amounts")
    unknown_amounts: int = Field(description="Supports of direct funding with no stated amount")


class RowOut(Schema):
    code: str
    label: str
    count: int
    share: float
    direct_funding: AmountOut


class StrandOut(Schema):
    code: str
    title: str
    description: str
    source: str


class FundOut(Schema):
    slug: str
    name: str
    summary: str
    founders: list[str]
    created_year: int | None
    endowment_eur: float | None
    duration_months: int | None
    url: str
    published: bool
    synthetic: bool = Field(description="True for fictitious demonstration data")
    page: str


class FiguresOut(Schema):
    supports_given: int
    requests: int
    non_financial: int
    non_financial_share: float | None
    direct_funding: AmountOut
    by_form: list[RowOut]
    by_region: list[RowOut]
    by_objective: list[RowOut]


class FundDetailOut(FundOut):
    vision: str
    mission: str
    fiche: str | None
    sources: list[dict[str, Any]]
    strands: list[StrandOut]
    figures: FiguresOut


class FundListOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[FundOut]


class TerritoryOut(Schema):
    code: str
    name: str


class SupportOut(Schema):
    key: str
    fund: str
    strand: str | None
    alliance: str | None = Field(description="Slug of the fiche supported, when visible")
    beneficiary: str
    territory: TerritoryOut
    form: str
    description: str
    amount_eur: float | None
    may_be_included_in: str | None
    amount_note: str
    objective: str
    maturity_at_start: str
    start: str
    end: str
    status: str
    published: bool
    source: str
    note: str
    page: str


class SupportListOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[SupportOut]


class SupportFilter(Paging):
    form: str = code_field(vocabularies.SUPPORT_FORMS, "")
    status: str = code_field(status.STATUSES, "")
    alliance: str = Field("", max_length=120)


class EvaluationOut(Schema):
    key: str
    title: str
    alliance: str | None
    status: str
    date: str
    method: str
    outputs: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    mobilised_eur: float | None
    leverage_basis: str
    lessons: list[dict[str, Any]]
    source: str


class InstrumentOut(Schema):
    slug: str
    name: str
    operator: str
    fund: str | None
    kinds: list[str]
    summary: str
    description: str
    actor_types: list[str]
    stages: list[str]
    support_forms: list[str]
    territories: list[str]
    eligibility: list[dict[str, Any]]
    availability: str
    url: str
    sources: list[dict[str, Any]]
    page: str


class MatchOut(Schema):
    slug: str
    name: str
    operator: str
    kinds: list[str]
    summary: str
    url: str
    page: str
    fund: str | None
    status: Literal["eligible", "to-check"]
    reasons: list[str]
    to_check: list[str]


class InstrumentListOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[InstrumentOut]


class FinderQuery(Paging):
    actor_type: str = code_field(vocabularies.ACTOR_TYPES, "", description="ACTOR_TYPES code")
    stage: str = code_field(
        vocabularies.INNOVATION_STAGES, "", description="INNOVATION_STAGES code"
    )
    need: str = code_field(vocabularies.SUPPORT_FORMS, "", description="SUPPORT_FORMS code")
    territory: str = Field("", max_length=20, description="INSEE reference (94018, REG-11, FR)")
    scaling_ambition: bool | None = None
    multi_actor: bool | None = None


class MatchListOut(Schema):
    count: int
    results: list[MatchOut]


def _number(value: Any) -> Any:
    """A JSON number (or null): no text, so that the schema's `number` is the whole contract."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise ValueError("must be a number of euros (e.g. 4000 or 1250.5)")


Amount = Annotated[
    Annotated[Decimal, Field(ge=0, le=validation.AMOUNT_MAX, decimal_places=2)] | None,
    BeforeValidator(_number),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(validation.AMOUNT_MAX)},
                {"type": "null"},
            ]
        }
    ),
]


class SupportIn(Schema):
    """A support; codes are checked against the vocabularies, references within the fund."""

    key: str = Field("", max_length=validation.KEY_MAX)
    form: str = Field(max_length=40)
    description: str = Field(max_length=validation.TEXT_MAX)
    alliance: str = Field("", max_length=validation.KEY_MAX, description="slug of a fiche")
    beneficiary: str = Field("", max_length=validation.NAME_MAX)
    territory: str = Field("", max_length=20)
    strand: str = Field("", max_length=validation.KEY_MAX)
    amount_eur: Amount = None
    may_be_included_in: str = Field("", max_length=validation.KEY_MAX)
    amount_note: str = Field("", max_length=validation.SUMMARY_MAX)
    objective: str = Field("", max_length=40)
    maturity_at_start: str = Field("", max_length=40)
    start: str = Field("", max_length=10)
    end: str = Field("", max_length=10)
    status: str = Field("requested", max_length=12)
    published: bool = False
    source: str = Field("", max_length=validation.SOURCE_MAX)
    note: str = Field("", max_length=validation.SUMMARY_MAX)


class TransitionIn(Schema):
    action: str = Field(max_length=20, description="grant, decline, pay or close")
    note: str = Field("", max_length=2000)


def _amount(a: figures.Amount) -> dict[str, Any]:
    return {"low": float(a.low), "high": float(a.high), "unknown_amounts": a.unknown}


def _rows(rows: list[figures.Row]) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "label": r.label,
            "count": r.count,
            "share": r.share,
            "direct_funding": _amount(r.amount),
        }
        for r in rows
    ]


def _fund(fund: Fund) -> dict[str, Any]:
    return {
        "slug": fund.slug,
        "name": fund.name,
        "summary": fund.summary,
        "founders": fund.founders,
        "created_year": fund.created_year,
        "endowment_eur": float(fund.endowment_eur) if fund.endowment_eur is not None else None,
        "duration_months": fund.duration_months,
        "url": fund.url,
        "published": fund.published,
        "synthetic": fund.is_synthetic,
        "page": fund.get_absolute_url(),
    }


def _visible_fund(request: HttpRequest, slug: str) -> Fund:
    fund = Fund.objects.filter(slug=_slug(slug)).first()
    if fund is None or not access.can_view(request.user, fund):
        raise HttpError(404, "Not Found")
    return fund


def _support(request: HttpRequest, support: Support) -> dict[str, Any]:
    alliance = support.alliance
    return {
        **validation.support_as_data(support),
        "fund": support.fund.slug,
        "strand": support.strand.code if support.strand else None,
        "alliance": alliance.slug
        if alliance is not None and fiches.can_view(request.user, alliance)
        else None,
        "territory": {"code": support.territory, "name": places.name(support.territory)},
        "amount_eur": float(support.amount_eur) if support.amount_eur is not None else None,
        "may_be_included_in": support.may_be_included_in.key
        if support.may_be_included_in
        else None,
        "page": f"{support.fund.get_absolute_url()}soutiens/{support.key}/",
    }


@router.get("/funds", response=FundListOut)
def list_funds(request: HttpRequest, paging: Query[Paging]) -> Any:
    """The funds the caller may see (published ones for anonymous callers)."""
    count, funds = _page(access.visible_funds(request.user), paging)
    return {
        "count": count,
        "page": paging.page,
        "per_page": paging.per_page,
        "results": [_fund(f) for f in funds],
    }


@router.get("/funds/instruments", response={200: MatchListOut | InstrumentListOut, 400: ErrorOut})
def find_instruments(request: HttpRequest, query: Query[FinderQuery]) -> Any:
    """Without criteria, the instruments (paged); with any, those that fit, each with its reasons
    and what remains to check (`instruments.eligible`)."""
    criteria = {k: getattr(query, k) for k in ("actor_type", "stage", "need", "territory")}
    facts = {
        k: getattr(query, k)
        for k in ("scaling_ambition", "multi_actor")
        if getattr(query, k) is not None
    }
    if not any(criteria.values()) and not facts:
        count, found = _page(access.visible_instruments(request.user), query)
        return {
            "count": count,
            "page": query.page,
            "per_page": query.per_page,
            "results": [_instrument(i) for i in found],
        }
    try:
        matches = instruments.eligible(**criteria, facts=facts, user=request.user)
    except InputError as exc:
        return Status(400, {"detail": str(exc)})
    return {"count": len(matches), "results": [vars(m) for m in matches]}


def _instrument(i: Instrument) -> dict[str, Any]:
    return {
        "slug": i.slug,
        "name": i.name,
        "operator": i.operator,
        "fund": i.fund.slug if i.fund else None,
        "kinds": i.kinds,
        "summary": i.summary,
        "description": i.description,
        "actor_types": i.actor_types,
        "stages": i.stages,
        "support_forms": i.support_forms,
        "territories": i.territories,
        "eligibility": i.eligibility,
        "availability": i.availability,
        "url": i.url,
        "sources": i.sources,
        "page": i.get_absolute_url(),
    }


@router.get("/funds/instruments/{slug}", response=InstrumentOut)
def get_instrument(request: HttpRequest, slug: str) -> Any:
    found = access.visible_instruments(request.user).filter(slug=_slug(slug)).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return _instrument(found)


@router.get("/funds/{slug}", response=FundDetailOut)
def get_fund(request: HttpRequest, slug: str) -> Any:
    """A fund with its strands and its figures (supports by form, region and objective)."""
    fund = _visible_fund(request, slug)
    numbers = figures.compute(
        access.visible_supports(request.user).filter(fund=fund),
        get_language() or "fr",
        can_see=lambda a: fiches.can_view(request.user, a),
    )
    return {
        **_fund(fund),
        "vision": fund.vision,
        "mission": fund.mission,
        "fiche": fund.fiche.slug
        if fund.fiche and fiches.can_view(request.user, fund.fiche)
        else None,
        "sources": fund.sources,
        "strands": [
            {"code": s.code, "title": s.title, "description": s.description, "source": s.source}
            for s in fund.strands.all()
        ],
        "figures": {
            "supports_given": numbers.total,
            "requests": len(numbers.requests),
            "non_financial": numbers.non_financial,
            "non_financial_share": numbers.non_financial_share,
            "direct_funding": _amount(numbers.direct_funding),
            "by_form": _rows(numbers.by_form),
            "by_region": _rows(numbers.by_region),
            "by_objective": _rows(numbers.by_objective),
        },
    }


@router.get("/funds/{slug}/supports", response={200: SupportListOut, 400: ErrorOut})
def list_supports(request: HttpRequest, slug: str, query: Query[SupportFilter]) -> Any:
    """The fund's supports the caller may see, filtered by form, status or alliance (slug)."""
    fund = _visible_fund(request, slug)
    supports = access.visible_supports(request.user).filter(fund=fund).order_by("start", "id")
    if query.form:
        if query.form not in vocabularies.SUPPORT_FORMS:
            return Status(400, {"detail": f"form: unknown code {query.form!r}"})
        supports = supports.filter(form=query.form)
    if query.status:
        if query.status not in status.STATUSES:
            return Status(400, {"detail": f"status: unknown value {query.status!r}"})
        supports = supports.filter(status=query.status)
    if query.alliance:
        if not _SLUG.match(query.alliance):
            return Status(400, {"detail": "alliance: expected the slug of a fiche"})
        supports = supports.filter(alliance__slug=query.alliance)
    count, found = _page(supports, query)
    return {
        "count": count,
        "page": query.page,
        "per_page": query.per_page,
        "results": [_support(request, s) for s in found],
    }


def _visible_support(request: HttpRequest, slug: str, key: str) -> Support:
    fund = _visible_fund(request, slug)
    found = access.visible_supports(request.user).filter(fund=fund, key=_slug(key)).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.get("/funds/{slug}/supports/{key}", response=SupportOut)
def get_support(request: HttpRequest, slug: str, key: str) -> Any:
    return _support(request, _visible_support(request, slug, key))


@router.get("/funds/{slug}/evaluations", response=list[EvaluationOut])
def list_evaluations(request: HttpRequest, slug: str) -> Any:
    fund = _visible_fund(request, slug)
    found: QuerySet[Evaluation] = access.visible_evaluations(request.user).filter(fund=fund)
    return [
        {
            "key": e.key,
            "title": e.title,
            "alliance": e.alliance.slug
            if e.alliance and fiches.can_view(request.user, e.alliance)
            else None,
            "status": e.status,
            "date": e.date,
            "method": e.method,
            "outputs": e.outputs,
            "outcomes": e.outcomes,
            "mobilised_eur": float(e.mobilised_eur) if e.mobilised_eur is not None else None,
            "leverage_basis": e.leverage_basis,
            "lessons": e.lessons,
            "source": e.source,
        }
        for e in found[:200]
    ]


def _managed(request: HttpRequest, slug: str) -> Fund:
    fund = _visible_fund(request, slug)
    if not access.manages(request.user, fund):
        raise HttpError(403, "only the fund's managers write its supports")
    return fund


def _managed_support(request: HttpRequest, slug: str, key: str) -> Support:
    support = _managed(request, slug).supports.filter(key=_slug(key)).first()
    if support is None:
        raise HttpError(404, "Not Found")
    return support


def _clean(payload: SupportIn, fund: Fund, current: Support | None = None) -> Any:
    data = payload.model_dump()
    if current is not None:
        data["key"] = current.key
    try:
        return validation.clean_support(data, fund, current=current)
    except InputError as exc:
        raise HttpError(422, str(exc)) from None


@router.post("/funds/{slug}/supports", response={201: SupportOut}, auth=token_auth)
def create_support(request: HttpRequest, slug: str, payload: SupportIn) -> Any:
    """Record a support (a request, or a grant already decided) as one of the fund's managers."""
    fund = _managed(request, slug)
    if payload.key and fund.supports.filter(key=payload.key).exists():
        raise HttpError(409, f"key {payload.key!r} already exists in this fund")
    support = records.create_support(fund, _clean(payload, fund), request.user, "api")
    return Status(201, _support(request, support))


@router.put("/funds/{slug}/supports/{key}", response=SupportOut, auth=token_auth)
def update_support(request: HttpRequest, slug: str, key: str, payload: SupportIn) -> Any:
    """Replace a support's content; its status only moves along the allowed transitions."""
    support = _managed_support(request, slug, key)
    records.update_support(support, _clean(payload, support.fund, support), request.user, "api")
    return _support(request, support)


@router.post("/funds/{slug}/supports/{key}/status", response=SupportOut, auth=token_auth)
def change_status(request: HttpRequest, slug: str, key: str, payload: TransitionIn) -> Any:
    """grant, decline (with a note), pay (direct funding), close; kept in the history."""
    support = _managed_support(request, slug, key)
    try:
        status.apply(support, payload.action, request.user, payload.note)
    except InputError as exc:
        raise HttpError(422, str(exc)) from None
    return _support(request, support)
