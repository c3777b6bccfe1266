"""Saving validated fiches: create or update by (source, import id), partners, index, history."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from observatoire.platform import plaindata
from observatoire.platform.alliances import workflow
from observatoire.platform.alliances.models import Alliance, Partner, State
from observatoire.platform.alliances.search import indexing
from observatoire.platform.alliances.validation import ROW_FIELDS, FicheData


def existing(source: str, import_id: str) -> Alliance | None:
    if not import_id:
        return None
    return Alliance.objects.filter(source_name=source, import_id=import_id).first()


def apply_data(alliance: Alliance, data: FicheData) -> None:
    """Copy the validated fields onto the (unsaved or saved) model instance."""
    for name in ROW_FIELDS:
        setattr(alliance, name, getattr(data, name))


@transaction.atomic
def save_fiche(
    data: FicheData,
    *,
    source: str = "",
    state: str = State.DRAFT,
    owner: Any = None,
    actor: Any = None,
) -> tuple[Alliance, bool]:
    """Create the fiche, or update the one of the same (source, import id): (fiche, created).

    An update keeps the fiche's curation state unless `state` is published (seed and import of
    curated sources), so re-importing never silently unpublishes a fiche; a record identical to
    the one imported last time changes nothing (no history entry, an archived fiche stays so).
    """
    alliance = existing(source, data.import_id)
    if alliance is not None and source and alliance.raw_record == data.raw:
        return alliance, False  # same record as last time: nothing to do, curation untouched
    created = alliance is None
    if alliance is None:
        alliance = Alliance(
            slug=plaindata.unique_slug(Alliance, data.import_id or data.title, "alliance"),
            source_name=source,
            import_id=data.import_id,
            state=state,
            owner=owner,
        )
    elif state == State.PUBLISHED:
        alliance.state = state
    apply_data(alliance, data)
    if source:
        alliance.raw_record = data.raw
    if alliance.state == State.PUBLISHED and alliance.published_at is None:
        alliance.published_at = timezone.now()
    alliance.save()
    replace_partners(alliance, data)
    indexing.reindex([alliance])
    action = "create" if created else "update"
    workflow.record(alliance, actor, action, f"source : {source}" if source else "")
    return alliance, created


def replace_partners(alliance: Alliance, data: FicheData) -> None:
    """Make the fiche's partners those of `data`, keeping the rows of partners that stay.

    A partner is the same partner while its name is unchanged: its row (and what refers to it,
    such as who acts for it and what it contributes to the scorecard) survives edits of its type,
    size, role or position. Rows of partners no longer listed are deleted.
    """
    kept: dict[str, list[Partner]] = {}
    for partner in alliance.partners.order_by("position", "id"):
        kept.setdefault(partner.name, []).append(partner)
    fresh: list[Partner] = []
    for position, item in enumerate(data.partners):
        rows = kept.get(item.name)
        partner = rows.pop(0) if rows else Partner(alliance=alliance)
        for name, value in {**vars(item), "position": position}.items():
            setattr(partner, name, value)
        if partner.pk is None:
            fresh.append(partner)
        else:
            partner.save()
    gone = [p.pk for rows in kept.values() for p in rows]
    if gone:
        Partner.objects.filter(pk__in=gone).delete()
    Partner.objects.bulk_create(fresh)


@transaction.atomic
def update_fiche(alliance: Alliance, data: FicheData, actor: Any = None) -> Alliance:
    """Replace the content of an existing fiche (form or API edit), keeping its state."""
    apply_data(alliance, data)
    alliance.save()
    replace_partners(alliance, data)
    indexing.reindex([alliance])
    workflow.record(alliance, actor, "edit")
    return alliance
