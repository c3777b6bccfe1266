"""The alliances' routes of the platform API (`platform/api.py`, OpenAPI at /api/docs): search,
detail, and token-authenticated writes.

Territories are INSEE codes, never internal ids. Reads see the published base only; writes need
a bearer token of a contributor (401 without one, 403 when the user may not do it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import create_model

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.accounts.auth import token_auth, viewer
from observatoire.platform.alliances import exports, records, similar, workflow
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.alliances.search import answers
from observatoire.platform.alliances.search.faceted import (
    MAX_PAGE,
    MAX_PER_PAGE,
    SearchParams,
    find,
)
from observatoire.platform.alliances.search.facets import FACETS
from observatoire.platform.alliances.search.summaries import summaries
from observatoire.platform.alliances.validation import (
    CODE_MAX,
    DESCRIPTION_MAX,
    ITEMS_MAX,
    LABEL_MAX,
    LICENCE_MAX,
    NAME_MAX,
    SUMMARY_MAX,
    TERRITORIES_MAX,
    TITLE_MAX,
    URL_MAX,
    clean_fiche,
)
from observatoire.platform.apitypes import code_field, codes_field

Q_MAX = 200
# No pattern: validation says what a wrong reference looks like ("11 is a region: REG-11").
_PLACE_TEXT = "INSEE code (94018), SIREN of an EPCI (200057941), DEP-94, REG-11 or FR."
_REQUIRED = r"\S"  # text with at least one character that is not a space
_PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


class _SearchText(Schema):
    q: str = Field("", max_length=Q_MAX, description="Words that every fiche found contains.")
    territory: str = Field("", max_length=CODE_MAX, description=_PLACE_TEXT)
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


# One repeatable parameter per search facet, derived from the facets' definition (as the pages'
# filters are), so that a new facet reaches the API without being written out again here.
# (Type checkers see the base schema; facet values are read by name.)
if TYPE_CHECKING:
    AllianceSearchQuery = _SearchText
else:
    AllianceSearchQuery = create_model(
        "AllianceSearchQuery",
        __base__=_SearchText,
        **{
            facet.name: (
                list[str],
                codes_field(
                    facet.codes(),
                    description=f"{facet.en} codes; repeat the parameter to match any of them.",
                ),
            )
            for facet in FACETS
        },
    )


class AllianceFacetCountOut(Schema):
    code: str
    label: str
    count: int
    selected: bool


class TerritoryOut(Schema):
    code: str
    name: str


class PartnerOut(Schema):
    name: str
    actor_type: str
    size: str
    role: str


class AllianceOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    territories: list[TerritoryOut]
    partners: list[PartnerOut]
    objectives: list[str]
    impacts: list[str]
    partnership_categories: list[str]
    fragilities: list[str]
    support_forms: list[str]
    innovation_stage: str | None
    freshness: str
    url: str


class AllianceDetailOut(AllianceOut):
    import_id: str
    description: str
    timeline: list[dict[str, Any]]
    results: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    licence: str
    update_frequency_months: int
    last_reviewed: str | None
    state: str


class AllianceSearchOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[AllianceOut]
    facets: dict[str, list[AllianceFacetCountOut]]


class DuplicateOut(Schema):
    slug: str
    title: str
    reasons: list[str]


class FicheWriteOut(Schema):
    alliance: AllianceDetailOut
    duplicates: list[DuplicateOut]


class FichePartnerIn(Schema):
    name: str = Field(max_length=NAME_MAX, pattern=_REQUIRED)
    actor_type: str = code_field(vocabularies.ACTOR_TYPES)
    size: str = code_field(vocabularies.ORGANISATION_SIZES, "")
    role: str = Field("", max_length=NAME_MAX)


class FicheTimelineIn(Schema):
    date: str = Field(
        pattern=_PARTIAL_DATE, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD."
    )
    label: str = Field(max_length=LABEL_MAX, pattern=_REQUIRED)


class FicheResultIn(Schema):
    label: str = Field(max_length=LABEL_MAX, pattern=_REQUIRED)
    value: str = Field(max_length=NAME_MAX, pattern=_REQUIRED)
    note: str = Field("", max_length=LABEL_MAX)


class FicheSourceIn(Schema):
    title: str = Field(max_length=LABEL_MAX, pattern=_REQUIRED)
    publisher: str = Field("", max_length=LABEL_MAX)
    date: str = Field(
        "", pattern=f"{_PARTIAL_DATE}|^$", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD."
    )
    url: str = Field("", max_length=URL_MAX, description="An http:// or https:// address.")
    locator: str = Field("", max_length=LABEL_MAX, description="Where in the source.")


class FicheIn(Schema):
    """A fiche in the seed YAML format; codes are checked against the vocabularies."""

    title: str = Field(max_length=TITLE_MAX, pattern=_REQUIRED)
    summary: str = Field(max_length=SUMMARY_MAX, pattern=_REQUIRED)
    territories: list[str] = Field(
        min_length=1,
        max_length=TERRITORIES_MAX,
        json_schema_extra={"items": {"type": "string", "maxLength": CODE_MAX}},
        description=_PLACE_TEXT,
    )
    import_id: str = Field("", max_length=NAME_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX, description="Markdown (CommonMark).")
    partners: list[FichePartnerIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    objectives: list[str] = codes_field(vocabularies.OBJECTIVES)
    impacts: list[str] = codes_field(vocabularies.IMPACTS)
    partnership_categories: list[str] = codes_field(vocabularies.PARTNERSHIP_CATEGORIES)
    fragilities: list[str] = codes_field(vocabularies.FRAGILITIES)
    support_forms: list[str] = codes_field(vocabularies.SUPPORT_FORMS)
    innovation_stage: str | None = code_field(vocabularies.INNOVATION_STAGES, "")
    timeline: list[FicheTimelineIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    results: list[FicheResultIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    sources: list[FicheSourceIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    licence: str | None = Field(None, max_length=LICENCE_MAX)
    update_frequency_months: int | None = Field(None, ge=1, le=120)
    last_reviewed: str | None = Field(
        None,
        max_length=10,
        pattern=r"^\d{4}-\d{2}-\d{2}$|^$",
        description="YYYY-MM-DD, not later than today.",
    )


class ErrorOut(Schema):
    detail: str


router = Router(tags=["alliances"])


@router.get("/alliances", response={200: AllianceSearchOut, 400: ErrorOut})
def search_alliances(request: HttpRequest, query: Query[AllianceSearchQuery]) -> Any:
    """Search the published base: text, territory (INSEE code, up and down), facets (repeatable).

    The answer is rendered directly (an HttpResponse, which django-ninja passes through): it is
    built to `AllianceSearchOut`'s shape, and validating it again cost a third of a request's CPU.
    """
    try:
        params = SearchParams(
            q=query.q,
            territory=query.territory,
            filters={f.name: getattr(query, f.name) for f in FACETS if getattr(query, f.name)},
            page=query.page,
            per_page=query.per_page,
        )
        content = answers.answer(params, lambda: _search_answer(request, params))
    except InputError as exc:
        return Status(400, {"detail": str(exc)})
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={answers.SECONDS}"
    return response


def _search_answer(request: HttpRequest, params: SearchParams) -> bytes:
    found = find(params)
    data = {
        "count": found.count,
        "page": params.page,
        "per_page": params.per_page,
        "results": summaries(found.ids),
        "facets": {name: [vars(fc) for fc in items] for name, items in found.facets.items()},
    }
    from observatoire.platform.api import api  # the API this router is mounted on

    return bytes(api.create_response(request, data, status=200).content)


@router.get("/alliances/{slug}", response={200: AllianceDetailOut, 401: ErrorOut, 404: ErrorOut})
def get_alliance(request: HttpRequest, slug: str) -> Any:
    """A published fiche; with a bearer token, also its owner's draft (and any, for a curator).
    A fiche the reader may not see answers 404, as a missing one does."""
    return exports.record(_visible(request, slug, viewer(request)))


def _visible(request: HttpRequest, slug: str, user: Any) -> Alliance:
    alliance = Alliance.objects.prefetch_related("partners").filter(slug=slug).first()
    if alliance is None or not workflow.can_view(user, alliance):
        raise HttpError(404, "Not Found")  # never tell a private fiche from a missing one
    return alliance


def _clean(payload: FicheIn) -> Any:
    try:
        return clean_fiche(payload.model_dump(exclude_none=True))
    except InputError as exc:
        raise HttpError(422, str(exc)) from None


def _written(request: HttpRequest, alliance: Alliance, data: Any) -> dict[str, Any]:
    duplicates = similar.likely_duplicates(data, request.user, exclude_id=alliance.pk)
    return {
        "alliance": exports.record(alliance),
        "duplicates": [
            {"slug": d.alliance.slug, "title": d.alliance.title, "reasons": list(d.reasons)}
            for d in duplicates
        ],
    }


@router.post(
    "/alliances",
    response={201: FicheWriteOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=token_auth,
)
def create_alliance(request: HttpRequest, payload: FicheIn) -> Any:
    """Create a draft owned by the token's user (fields as in the seed YAML format)."""
    if not workflow.can_contribute(request.user):
        raise HttpError(403, "reserved to contributors")
    data = _clean(payload)
    if data.import_id and records.existing("api", data.import_id):
        raise HttpError(409, f"import_id {data.import_id!r} already exists")
    alliance, _ = records.save_fiche(
        data, source="api" if data.import_id else "", owner=request.user, actor=request.user
    )
    return Status(201, _written(request, alliance, data))


@router.put(
    "/alliances/{slug}",
    response={200: FicheWriteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=token_auth,
)
def update_alliance(request: HttpRequest, slug: str, payload: FicheIn) -> Any:
    """Replace a fiche's content: its owner while it is a draft, or a curator."""
    alliance = _visible(request, slug, request.user)
    if not workflow.can_edit(request.user, alliance):
        raise HttpError(403, "you cannot edit this fiche")
    data = _clean(payload)
    records.update_fiche(alliance, data, actor=request.user)
    return _written(request, alliance, data)
