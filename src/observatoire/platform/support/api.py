"""The directory's routes of the platform API (`platform/api.py`, OpenAPI at /api/docs).

Reads are public and see published structures only: search by territory (an INSEE code, matched
up and down), need, actor type…; a structure and its services; « la bonne porte »; coverage by
department. Territories are INSEE codes, never internal ids. Unknown codes answer 422 naming
them; paging is bounded. An answer that shows a fictitious demo structure says so (`notice`, and
`is_fictitious` on the structure). Writes need a bearer token: contributors propose drafts and
edit their own drafts, curators edit and publish any structure (401 without a valid token, 403
when the user may not, 404 for what they may not see).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from observatoire import vocabularies
from observatoire.platform.accounts.auth import token_auth
from observatoire.platform.apitypes import code_field, codes_field
from observatoire.platform.support import directory, gaps, orientation, records, workflow, zones
from observatoire.platform.support.exports import FICTITIOUS_NOTICE
from observatoire.platform.support.models import Service, Structure
from observatoire.platform.support.validation import (
    DESCRIPTION_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    URL_MAX,
    clean_structure,
)

router = Router(tags=["support"])
CODE = 60
TERRITORY = 100
CODES = 50
Code = Annotated[str, StringConstraints(max_length=CODE)]
Zone = Annotated[str, StringConstraints(max_length=TERRITORY)]


class SearchQuery(Schema):
    territory: str = Field(
        "",
        max_length=TERRITORY,
        description="INSEE code of a commune (94018), EPCI/EPT SIREN, DEP-94, REG-11 or FR: the "
        "structures whose zones cover it or lie within it.",
    )
    need: list[str] = codes_field(
        vocabularies.SUPPORT_FORMS,
        description="Forms of support (vocabulary support_forms), OR-ed.",
    )
    actor_type: list[str] = codes_field(vocabularies.ACTOR_TYPES, description="Actor types served.")
    structure_type: list[str] = codes_field(
        vocabularies.SUPPORT_STRUCTURE_TYPES, description="Types of structure."
    )
    stage: list[str] = codes_field(vocabularies.INNOVATION_STAGES, description="Innovation stages.")
    objective: list[str] = codes_field(vocabularies.OBJECTIVES, description="Objectives.")
    q: str = Field("", max_length=directory.Q_MAX, description="Words of the name or description.")
    page: int = Field(1, ge=1, le=directory.MAX_PAGE)
    per_page: int = Field(directory.DEFAULT_PER_PAGE, ge=1, le=directory.MAX_PER_PAGE)


class ZoneOut(Schema):
    ref: str
    name: str


class SourceOut(Schema):
    title: str
    publisher: str | None = None
    locator: str | None = None
    date: str | None = None
    url: str | None = None


class ServiceOut(Schema):
    id: str
    name: str
    description: str
    kind: str
    zones: list[ZoneOut]
    support_forms: list[str]
    innovation_stages: list[str]
    objectives: list[str]
    actor_types: list[str]
    association_employment: list[str]
    sizes: list[str]
    thematiques: list[str]
    publics: list[str]
    reception_modes: list[str]
    mobilisation_modes: list[str]
    mobilisation_url: str
    fees: str
    fees_details: str
    access_conditions: str


class StructureOut(Schema):
    id: str = Field(description="The structure's slug, as in its page's address.")
    name: str
    description: str
    structure_type: str
    is_fictitious: bool
    url: str
    commune: ZoneOut | None
    networks: list[str]
    siret: str
    website: str
    email: str
    phone: str
    sources: list[SourceOut]
    licence: str
    updated: str
    services: list[ServiceOut]


class FacetCountOut(Schema):
    code: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    count: int
    page: int
    per_page: int
    pages: int
    notice: str | None = Field(None, description="Present when fictitious structures are shown.")
    results: list[StructureOut]
    facets: dict[str, list[FacetCountOut]]


class ErrorOut(Schema):
    detail: str


def _zone(ref: str) -> dict[str, str]:
    return {"ref": ref, "name": zones.label(ref)}


def _service(service: Service) -> dict[str, Any]:
    data = {name: getattr(service, name) for name in ServiceOut.model_fields if name != "zones"}
    return {**data, "id": service.import_id, "zones": [_zone(z) for z in service.zones]}


def _structure(structure: Structure, services: Any = None) -> dict[str, Any]:
    return {
        "id": structure.slug,
        "name": structure.name,
        "description": structure.description,
        "structure_type": structure.structure_type,
        "is_fictitious": structure.is_fictitious,
        "url": structure.get_absolute_url(),
        "commune": _zone(f"COM-{structure.commune}") if structure.commune else None,
        "networks": structure.networks,
        "siret": structure.siret,
        "website": structure.website,
        "email": structure.email,
        "phone": structure.phone,
        "sources": structure.sources,
        "licence": structure.licence,
        "updated": structure.date_maj().isoformat(),
        "services": [
            _service(s) for s in (structure.services.all() if services is None else services)
        ],
    }


def _notice(structures: list[Structure]) -> str | None:
    return FICTITIOUS_NOTICE if any(s.is_fictitious for s in structures) else None


@router.get(
    "/structures",
    response={200: SearchOut, 422: ErrorOut},
    summary="Search the directory of support structures",
)
def search_structures(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """Structures whose services match, with the matching services only, and the facet counts
    (each facet counted with every other filter). Local structures come before national ones
    when a territory is given."""
    result = directory.search(
        directory.clean_filters(
            q=query.q,
            territory=query.territory,
            page=query.page,
            per_page=query.per_page,
            selected={name: getattr(query, name) for name in directory.BY_NAME},
        )
    )
    shown = [hit.structure for hit in result.hits]
    return {
        "count": result.count,
        "page": result.filters.page,
        "per_page": result.filters.per_page,
        "pages": result.pages,
        "notice": _notice(shown),
        "results": [_structure(hit.structure, hit.services) for hit in result.hits],
        "facets": {name: [vars(c) for c in counts] for name, counts in result.facets.items()},
    }


def _visible(request: HttpRequest, slug: str) -> Structure:
    structure = get_object_or_404(Structure.objects.prefetch_related("services"), slug=slug)
    if not workflow.can_view(request.user, structure):
        raise HttpError(404, "Not Found")  # never tell a private structure from a missing one
    return structure


class StructureDetailOut(StructureOut):
    notice: str | None = None
    state: str


@router.get("/structures/{slug}", response={200: StructureDetailOut, 404: ErrorOut})
def get_structure(request: HttpRequest, slug: str) -> Any:
    """A published structure and all its services."""
    structure = _visible(request, slug)
    return {**_structure(structure), "state": structure.state, "notice": _notice([structure])}


@router.get("/structures/{slug}/services", response={200: list[ServiceOut], 404: ErrorOut})
def get_services(request: HttpRequest, slug: str) -> Any:
    """The services of a published structure, in their order."""
    return [_service(s) for s in _visible(request, slug).services.all()]


class OrientationQuery(Schema):
    actor_type: str = code_field(vocabularies.ACTOR_TYPES, description="Vocabulary actor_types.")
    commune: str = Field(max_length=TERRITORY, description="INSEE code of a commune (94018).")
    need: list[str] = codes_field(
        vocabularies.SUPPORT_FORMS, description="Forms of support; none = unsure."
    )
    employment: str = code_field(
        vocabularies.ASSOCIATION_EMPLOYMENT, "", description="employeuse / non-employeuse."
    )
    stage: str = code_field(vocabularies.INNOVATION_STAGES, "")
    size: str = code_field(vocabularies.ORGANISATION_SIZES, "")
    objective: str = code_field(vocabularies.OBJECTIVES, "")
    limit: int = Field(orientation.DEFAULT_LIMIT, ge=1, le=orientation.MAX_LIMIT)
    lang: Literal["fr", "en"] = Field("fr", description="Language of titles and reasons.")


class DoorOut(Schema):
    structure: str = Field(description="The structure's id (slug).")
    structure_name: str
    structure_type: str
    service: str
    service_name: str
    url: str
    zone: ZoneOut
    is_local: bool
    distance_km: float | None
    needs_met: list[str]
    rules: list[str]
    reasons: list[str]
    is_fictitious: bool


class RuleOut(Schema):
    code: str
    title: str
    why: str
    source: str
    weight: int


class OrientationInstrumentOut(Schema):
    slug: str
    name: str
    operator: str
    kinds: list[str]
    status: str = Field(description="eligible, or to-check when a condition needs checking.")
    reasons: list[str]
    to_check: list[str]
    page: str
    url: str


class OrientationOut(Schema):
    commune: ZoneOut
    day: str
    zone_blanche: bool
    eligible: int
    notice: str | None = None
    doors: list[DoorOut]
    rules_applied: list[RuleOut]
    instruments: list[OrientationInstrumentOut] = Field(
        description="Funding instruments that fit the stated needs (none without a need)."
    )


@router.get("/orientation", response={200: OrientationOut, 422: ErrorOut})
def orient(request: HttpRequest, query: Query[OrientationQuery]) -> Any:
    """« La bonne porte »: the services to knock at, ranked, each with why (`lang`: French or
    English). Nothing is stored."""
    with translation.override(query.lang):
        return _orientation(query)


def _orientation(query: OrientationQuery) -> dict[str, Any]:
    cleaned = orientation.clean_query(
        actor_type=query.actor_type,
        commune=query.commune,
        needs=query.need,
        stage=query.stage,
        employment=query.employment,
        size=query.size,
        objective=query.objective,
    )
    result = orientation.orient(cleaned, limit=query.limit)
    services = {
        s.pk: s for s in Service.objects.filter(pk__in=[d.service_id for d in result.suggestions])
    }
    return {
        "commune": _zone(result.commune.ref),
        "day": result.day.isoformat(),
        "zone_blanche": result.zone_blanche,
        "eligible": result.eligible,
        "notice": FICTITIOUS_NOTICE if result.has_fictitious else None,
        "doors": [
            {
                "structure": d.structure_slug,
                "structure_name": d.structure_name,
                "structure_type": d.structure_type,
                "service": services[d.service_id].import_id,
                "service_name": d.service_name,
                "url": d.url,
                "zone": {"ref": d.zone_ref, "name": d.zone_name},
                "is_local": d.is_local,
                "distance_km": round(d.proximity.km, 1) if d.proximity.km is not None else None,
                "needs_met": list(d.needs_met),
                "rules": list(d.rules),
                "reasons": list(d.reasons),
                "is_fictitious": d.is_fictitious,
            }
            for d in result.suggestions
        ],
        "rules_applied": [
            {
                "code": r.code,
                "title": r.label(),
                "why": r.why(),
                "source": r.source,
                "weight": r.weight,
            }
            for r in result.rules_applied
        ],
        "instruments": [vars(m) for m in orientation.funding(cleaned)],
    }


class CoverageQuery(Schema):
    actor_type: str = code_field(vocabularies.ACTOR_TYPES, "")
    need: str = code_field(vocabularies.SUPPORT_FORMS, "")


class DepartmentCoverageOut(Schema):
    department: ZoneOut
    state: str = Field(description="couvert, partiel or zone-blanche (local services only).")
    whole: int = Field(description="Local services whose zone contains the whole department.")
    part: int = Field(description="Services whose zones lie inside the department.")
    gaps: int = Field(description="Orientation requests counted without a local door.")


@router.get("/coverage", response={200: list[DepartmentCoverageOut], 422: ErrorOut})
def coverage(request: HttpRequest, query: Query[CoverageQuery]) -> Any:
    """Local coverage of each department for an actor type and a need (both optional)."""
    directory.clean_filters(  # unknown codes: 422 naming them
        selected={"actor_type": [query.actor_type], "need": [query.need]}
    )
    return [
        {
            "department": _zone(c.department.ref),
            "state": c.state,
            "whole": c.whole,
            "part": c.part,
            "gaps": c.gaps,
        }
        for c in gaps.coverage(actor_type=query.actor_type, need=query.need)
    ]


class SourceIn(Schema):
    title: str = Field(max_length=SHORT_TEXT_MAX)
    publisher: str = Field("", max_length=SHORT_TEXT_MAX)
    locator: str = Field("", max_length=SHORT_TEXT_MAX)
    date: str = Field("", max_length=SHORT_TEXT_MAX)
    url: str = Field("", max_length=URL_MAX)


class ServiceIn(Schema):
    import_id: str = Field("", max_length=200)
    name: str = Field(max_length=NAME_MAX)
    description: str = Field(max_length=DESCRIPTION_MAX)
    zones: list[Zone] = Field(
        max_length=500, description="INSEE codes, SIRENs, DEP-94, REG-11, FR."
    )
    kind: str = Field("", max_length=CODE)
    fees: str = Field("", max_length=CODE)
    fees_details: str = Field("", max_length=SHORT_TEXT_MAX)
    access_conditions: str = Field("", max_length=LONG_TEXT_MAX)
    mobilisation_url: str = Field("", max_length=URL_MAX)
    thematiques: list[Code] = Field(default_factory=list, max_length=CODES)
    publics: list[Code] = Field(default_factory=list, max_length=CODES)
    reception_modes: list[Code] = Field(default_factory=list, max_length=CODES)
    mobilisation_modes: list[Code] = Field(default_factory=list, max_length=CODES)
    support_forms: list[Code] = Field(default_factory=list, max_length=CODES)
    innovation_stages: list[Code] = Field(default_factory=list, max_length=CODES)
    objectives: list[Code] = Field(default_factory=list, max_length=CODES)
    actor_types: list[Code] = Field(default_factory=list, max_length=CODES)
    association_employment: list[Code] = Field(default_factory=list, max_length=CODES)
    sizes: list[Code] = Field(default_factory=list, max_length=CODES)


class StructureIn(Schema):
    name: str = Field(max_length=NAME_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)
    structure_type: str = Field(max_length=CODE)
    networks: list[Code] = Field(default_factory=list, max_length=CODES)
    siret: str = Field("", max_length=20)
    rna: str = Field("", max_length=20)
    commune: str = Field("", max_length=TERRITORY)
    address: str = Field("", max_length=300)
    website: str = Field("", max_length=URL_MAX)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)
    sources: list[SourceIn] = Field(default_factory=list, max_length=CODES)
    licence: str = Field("", max_length=80)
    update_frequency_months: int = Field(12, ge=1, le=120)
    last_reviewed: str = Field("", max_length=10, description="YYYY-MM-DD")
    services: list[ServiceIn] = Field(max_length=50)


class WriteOut(Schema):
    id: str
    state: str
    url: str


def _written(structure: Structure) -> dict[str, str]:
    return {"id": structure.slug, "state": structure.state, "url": structure.get_absolute_url()}


def _clean(payload: StructureIn) -> Any:
    return clean_structure(payload.dict())  # InputError → 422 naming the field


@router.post("/structures", response={201: WriteOut, 401: ErrorOut, 403: ErrorOut}, auth=token_auth)
def create_structure(request: HttpRequest, payload: StructureIn) -> Any:
    """Propose a structure: saved as a draft owned by the token's user (contributors)."""
    if not workflow.can_contribute(request.user):
        raise HttpError(403, "reserved to contributors")
    data = _clean(payload)
    structure, _ = records.save_structure(data, owner=request.user, actor=request.user)
    return Status(
        201, {"id": structure.slug, "state": structure.state, "url": structure.get_absolute_url()}
    )


@router.put(
    "/structures/{slug}",
    response={200: WriteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_auth,
)
def update_structure(request: HttpRequest, slug: str, payload: StructureIn) -> Any:
    """Replace a structure and its services (services keep their ids by `import_id`)."""
    structure = _visible(request, slug)
    if not workflow.can_edit(request.user, structure):
        raise HttpError(403, "you cannot edit this structure")
    records.update_structure(structure, _clean(payload), actor=request.user)
    return _written(structure)


class StructureTransitionIn(Schema):
    action: str = Field(max_length=20, description="submit, publish, reject, archive, restore.")
    note: str = Field("", max_length=SHORT_TEXT_MAX)


@router.post(
    "/structures/{slug}/transitions",
    response={200: WriteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_auth,
)
def transition(request: HttpRequest, slug: str, payload: StructureTransitionIn) -> Any:
    """Move a structure through curation (contributors submit their drafts; curators publish,
    send back, archive, restore)."""
    structure = workflow.apply(_visible(request, slug), payload.action, request.user, payload.note)
    return _written(structure)
