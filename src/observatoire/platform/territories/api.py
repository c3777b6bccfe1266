"""The territories' route of the platform API: find a territory by name or code (what the
« ma commune » box suggests as one types)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from observatoire.platform.territories import finding
from observatoire.platform.territories.portrait import kind_label, url

router = Router(tags=["territories"])


class FindQuery(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=finding.MAX_TEXT,
        description="A name (Charenton), an INSEE code (94018), a SIREN or a "
        "reference (DEP-94, REG-11).",
    )
    limit: int = Field(10, ge=1, le=finding.LIMIT)


class FoundTerritoryOut(Schema):
    ref: str
    code: str
    name: str
    kind: str
    kind_label: str
    department: str | None
    population: int | None
    url: str = Field(description="Its portrait.")


@router.get(
    "/territories",
    response=list[FoundTerritoryOut],
    summary="Find a territory",
    url_name="territories",
)
def find_territories(request: HttpRequest, query: Query[FindQuery]) -> Any:
    """Territories whose name or code matches, best first (a code alone: that territory)."""
    found = finding.find(query.q, query.limit)
    chosen = [found.exact] if found.exact and not found.matches else found.matches
    return [
        {
            "ref": t.ref,
            "code": t.code,
            "name": t.name,
            "kind": t.kind,
            "kind_label": kind_label(t.kind, "fr"),
            "department": t.department,
            "population": t.population,
            "url": request.build_absolute_uri(url(t)),
        }
        for t in chosen[: query.limit]
    ]
