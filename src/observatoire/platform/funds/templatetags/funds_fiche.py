"""`{% fiche_supports alliance %}`: the supports a fiche received, for the alliance's page."""

from __future__ import annotations

from typing import Any

from django import template

from observatoire.platform.funds import access, figures

register = template.Library()


@register.inclusion_tag("funds/_fiche_supports.html", takes_context=True)
def fiche_supports(context: template.Context, alliance: Any) -> dict[str, Any]:
    """Per fund, the supports the visitor may see, with the fund's money as a range."""
    request = context.get("request")
    supports = access.visible_supports(getattr(request, "user", None)).filter(alliance=alliance)
    by_fund: dict[int, list[Any]] = {}
    for support in supports.exclude(status="requested"):
        by_fund.setdefault(support.fund_id, []).append(support)
    return {
        "funds": [(items[0].fund, items, figures.amount_of(items)) for items in by_fund.values()]
    }
