"""Zones blanches: where support is missing, from the directory's coverage and from requests.

Two readings per department: `coverage` says, from the published services, whether a local
service covers the whole department for a need (or only part of it, or none); `record` counts
the orientation requests that found no local door (month, department, actor type, need: an
aggregate, nothing about the person or the commune is kept).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from observatoire import territory
from observatoire.platform.support.models import Coverage, GapCount, State
from observatoire.platform.support.orientation import Orientation

COVERED, PARTIAL, NONE = "couvert", "partiel", "zone-blanche"
STATES = (COVERED, PARTIAL, NONE)


def record(result: Orientation) -> None:
    """Count one request that found no local door (nothing happens otherwise)."""
    if not result.zone_blanche or not result.commune.department:
        return
    month = result.day.strftime("%Y-%m")
    for need in result.query.needs or ("",):
        key = {
            "month": month,
            "department": result.commune.department,
            "actor_type": result.query.actor_type,
            "need": need,
        }
        updated = GapCount.objects.filter(**key).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    GapCount.objects.create(**key, count=1)
            except IntegrityError:  # created meanwhile by a concurrent request
                GapCount.objects.filter(**key).update(count=F("count") + 1)


def recorded(
    *, actor_type: str = "", need: str = "", since: datetime.date | None = None
) -> Counter[str]:
    """Requests without a local door per department code (optionally for one actor type, need,
    or from a month on)."""
    rows = GapCount.objects.all()
    if actor_type:
        rows = rows.filter(actor_type=actor_type)
    if need:
        rows = rows.filter(need=need)
    if since:
        rows = rows.filter(month__gte=since.strftime("%Y-%m"))
    totals = rows.values("department").annotate(total=Sum("count"))
    return Counter({r["department"]: r["total"] for r in totals})


@dataclass(frozen=True)
class DepartmentCoverage:
    department: territory.Territory
    state: str  # COVERED, PARTIAL or NONE
    whole: int  # local services whose zone contains the whole department
    part: int  # services whose zones lie inside the department (commune, EPCI, EPT)
    gaps: int  # recorded requests without a local door


def coverage(*, actor_type: str = "", need: str = "") -> list[DepartmentCoverage]:
    """Every department's local coverage for an actor type and a need (both optional); national
    services are left out, since they cover everything and say nothing about local doors."""
    rows = Coverage.objects.filter(service__structure__state=State.PUBLISHED)
    if actor_type:
        rows = rows.filter(
            service__tags__facet="actor_type", service__tags__code__in=[actor_type, "*"]
        )
    if need:
        rows = rows.filter(service__tags__facet="need", service__tags__code=need)
    zone_rows = set(rows.filter(relation=Coverage.ZONE).values_list("key", "service").distinct())
    within_rows = set(
        rows.filter(relation=Coverage.WITHIN).values_list("key", "service").distinct()
    )
    whole: Counter[str] = Counter(key for key, _ in zone_rows)
    part: Counter[str] = Counter(key for key, _ in within_rows)
    gaps = recorded(actor_type=actor_type, need=need)
    out = []
    for d in territory.departments():
        region = territory.get(d.region or "", "region")
        n_whole = whole[d.ref] + whole[region.ref]
        n_part = part[d.ref]
        state = COVERED if n_whole else PARTIAL if n_part else NONE
        out.append(DepartmentCoverage(d, state, n_whole, n_part, gaps[d.code]))
    return out
