"""Derive a service's filter rows: coverage (its zones and the territories they lie within) and
tags (its codes, with "*" where an empty list means "any").

Called after every write of a structure (form, admin, API, import, seed, demo).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from observatoire.errors import InputError
from observatoire.platform.support import zones
from observatoire.platform.support.models import Coverage, Service, ServiceTag

ANY = "*"
# facet -> (service field, whether an empty list means "any")
TAG_FIELDS: dict[str, tuple[str, bool]] = {
    "need": ("support_forms", False),
    "stage": ("innovation_stages", True),
    "objective": ("objectives", False),
    "actor_type": ("actor_types", True),
    "employment": ("association_employment", True),
    "size": ("sizes", True),
    "public": ("publics", False),
    "reception": ("reception_modes", False),
}


def tag_pairs(service: Service) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for facet, (name, empty_is_any) in TAG_FIELDS.items():
        values = getattr(service, name) or ([ANY] if empty_is_any else [])
        pairs |= {(facet, code) for code in values}
    if service.kind:
        pairs.add(("kind", service.kind))
    return pairs


def coverage_pairs(service: Service) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for ref in service.zones:
        try:
            pairs.add((ref, Coverage.ZONE))
            pairs |= {(a, Coverage.WITHIN) for a in zones.ancestors_refs(ref)}
        except InputError:
            continue  # a code that has since left the territory data: kept, matches nothing
    return pairs


@transaction.atomic
def reindex(services: Iterable[Service]) -> None:
    """Rebuild the coverage and tag rows of these services."""
    services = list(services)
    ids = [s.pk for s in services]
    Coverage.objects.filter(service_id__in=ids).delete()
    ServiceTag.objects.filter(service_id__in=ids).delete()
    Coverage.objects.bulk_create(
        Coverage(service=s, key=key, relation=relation)
        for s in services
        for key, relation in sorted(coverage_pairs(s))
    )
    ServiceTag.objects.bulk_create(
        ServiceTag(service=s, facet=facet, code=code)
        for s in services
        for facet, code in sorted(tag_pairs(s))
    )
