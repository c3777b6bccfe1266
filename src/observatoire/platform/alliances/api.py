"""The alliances' routes of the platform API (`platform/api.py`, OpenAPI at /api/docs): search,
detail, and token-authenticated writes.

Territories are INSEE codes, never internal ids. Reads see the published base only; writes need
a bearer token of a contributor (401 without one, 403 when the user may not do it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints, create_model

from observatoire.errors import InputError
from observatoire.platform.accounts.auth import token_auth, viewer
from observatoire.platform.alliances import exports, records, similar, workflow
from observatoire.platform.alliances.models import Alliance
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

Code = Annotated[str, StringConstraints(max_length=CODE_MAX)]
Q_MAX = 200


class _SearchText(Schema):
    q: str = Field("", max_length=Q_MAX, description="Words that every fiche found contains.")
    territory: str = Field(
        "", max_length=CODE_MAX, description="INSEE code (commune, EPCI, department, region, FR)."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


# One repeatable parameter per search facet, derived from the facets' definition (as the pages'
# filters are), so that a new facet reaches the API without being written out again here.
# (Type checkers see the base schema; facet values are read by name.)
if TYPE_CHECKING:
    SearchQuery = _SearchText
else:
    SearchQuery = create_model(
        "SearchQuery",
        __base__=_SearchText,
        **{
            facet.name: (
                list[Code],
                Field(
                    default_factory=list,
                    max_length=ITEMS_MAX,
                    description=f"{facet.en} codes; repeat the parameter to match any of them.",
                ),
            )
            for facet in FACETS
        },
    )


class FacetCountOut(Schema):
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


class SearchOut(Schema):
    count: int
    page: int
    per_page: int
    results: list[AllianceOut]
    facets: dict[str, list[FacetCountOut]]


class DuplicateOut(Schema):
    slug: str
    title: str
    reasons: list[str]


class WriteOut(Schema):
    alliance: AllianceDetailOut
    duplicates: list[DuplicateOut]


class PartnerIn(Schema):
    name: str = Field(max_length=NAME_MAX)
    actor_type: str = Field(max_length=CODE_MAX, description="Vocabulary actor_types.")
    size: str = Field("", max_length=CODE_MAX, description="Vocabulary organisation_sizes.")
    role: str = Field("", max_length=NAME_MAX)


class TimelineIn(Schema):
    date: str = Field(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    label: str = Field(max_length=LABEL_MAX)


class ResultIn(Schema):
    label: str = Field(max_length=LABEL_MAX)
    value: str = Field(max_length=NAME_MAX)
    note: str = Field("", max_length=LABEL_MAX)


class SourceIn(Schema):
    title: str = Field(max_length=LABEL_MAX)
    publisher: str = Field("", max_length=LABEL_MAX)
    date: str = Field("", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    url: str = Field("", max_length=URL_MAX, description="An http:// or https:// address.")
    locator: str = Field("", max_length=LABEL_MAX, description="Where in the source.")


class FicheIn(Schema):
    """A fiche in the seed YAML format; codes are checked against the vocabularies."""

    title: str = Field(max_length=TITLE_MAX)
    summary: str = Field(max_length=SUMMARY_MAX)
    territories: list[Code] = Field(max_length=TERRITORIES_MAX, description="INSEE codes.")
    import_id: str = Field("", max_length=NAME_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX, description="Markdown (CommonMark).")
    partners: list[PartnerIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    objectives: list[Code] = Field(default_factory=list, max_length=ITEMS_MAX)
    impacts: list[Code] = Field(default_factory=list, max_length=ITEMS_MAX)
    partnership_categories: list[Code] = Field(default_factory=list, max_length=ITEMS_MAX)
    fragilities: list[Code] = Field(default_factory=list, max_length=ITEMS_MAX)
    support_forms: list[Code] = Field(default_factory=list, max_length=ITEMS_MAX)
    innovation_stage: str | None = Field(None, max_length=CODE_MAX)
    timeline: list[TimelineIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    results: list[ResultIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    sources: list[SourceIn] = Field(default_factory=list, max_length=ITEMS_MAX)
    licence: str | None = Field(None, max_length=LICENCE_MAX)
    update_frequency_months: int | None = Field(None, ge=1, le=120)
    last_reviewed: str | None = Field(
        None, max_length=10, description="YYYY-MM-DD, not later than today."
    )


class ErrorOut(Schema):
    detail: str


router = Router(tags=["alliances"])


@router.get("/alliances", response={200: SearchOut, 400: ErrorOut})
def search_alliances(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """Search the published base: text, territory (INSEE code, up and down), facets (repeatable).

    The answer is rendered directly (an HttpResponse, which django-ninja passes through): it is
    built to `SearchOut`'s shape, and validating it again cost a third of a request's CPU.
    """
    try:
        params = SearchParams(
            q=query.q,
            territory=query.territory,
            filters={f.name: getattr(query, f.name) for f in FACETS if getattr(query, f.name)},
            page=query.page,
            per_page=query.per_page,
        )
        found = find(params)
    except InputError as exc:
        return Status(400, {"detail": str(exc)})
    data = {
        "count": found.count,
        "page": params.page,
        "per_page": params.per_page,
        "results": summaries(found.ids),
        "facets": {name: [vars(fc) for fc in items] for name, items in found.facets.items()},
    }
    from observatoire.platform.api import api  # the API this router is mounted on

    return api.create_response(request, data, status=200)


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
    response={201: WriteOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
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
    response={200: WriteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
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
