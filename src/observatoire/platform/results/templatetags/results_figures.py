"""`{% actor_figures code %}`: what an actor type says in the published cross-reading
(IMPACT-Acteurs), for any page that speaks of that actor type; nothing when no study has it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from observatoire import vocabularies
from observatoire.platform.results.crossreading import actor_figures as figures_of

register = template.Library()


@register.inclusion_tag("results/_actor_figures.html")
def actor_figures(actor_types: str | Iterable[str]) -> dict[str, Any]:
    """One panel per actor type (a code or several), in the vocabulary's order."""
    codes = {actor_types} if isinstance(actor_types, str) else set(actor_types)
    language = get_language() or "fr"
    panels = [
        found
        for code in vocabularies.ACTOR_TYPES.codes
        if code in codes and (found := figures_of(code, language)) is not None
    ]
    return {"panels": panels}


@register.inclusion_tag("results/_actor_figures.html")
def actor_figures_for_query(query: QueryDict) -> dict[str, Any]:
    """The panel of the one actor type a search filters on (none for several or none)."""
    codes = query.getlist("actor_type")
    return actor_figures(codes[0]) if len(codes) == 1 else {"panels": []}


@register.inclusion_tag("results/_actor_figures.html")
def actor_figures_for_partners(partners: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """One panel per kind of partner of an alliance (rows of (partner, type label, size))."""
    return actor_figures({row[0].actor_type for row in partners})
