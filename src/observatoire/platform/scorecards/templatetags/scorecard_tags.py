"""Numbers and codes as a French (or English) reader expects them: "1 234,5", labels not codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

from observatoire import vocabularies
from observatoire.results_contract import formats

register = template.Library()


def _locale() -> str:
    return "en_GB" if (get_language() or "fr").startswith("en") else "fr_FR"


@register.filter
def num(value: Any) -> str:
    """A number in the page's language, without trailing zeros; "—" when there is none."""
    if value is None or value == "":
        return "—"
    return format_decimal(Decimal(str(value)).normalize(), locale=_locale())


@register.filter
def mark(value: Any) -> str:
    """A mean rating with one decimal, as the results pages show it ("6,2")."""
    language = "en" if _locale() == "en_GB" else "fr"
    return formats.mark(None if value is None else float(value), language=language)


@register.filter
def share(value: Any) -> str:
    """A fraction as a percentage: 0.625 → "62,5 %"."""
    if value is None:
        return "—"
    return format_decimal(round(float(value) * 100, 1), locale=_locale()) + (
        "%" if _locale() == "en_GB" else "\u00a0%"
    )


@register.filter
def term(code: str, vocabulary: str) -> str:
    """The label of `code` in the named vocabulary (the code itself if unknown)."""
    vocab = vocabularies.get(vocabulary)
    language = "en" if _locale() == "en_GB" else "fr"
    return vocab[code].label(language) if code in vocab else code


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("scorecards/_fiche_link.html", takes_context=True)
def scorecard_link(context: dict[str, Any], alliance: Any) -> dict[str, Any]:
    """On a fiche: a link to its scorecard for whoever may see it (or create it)."""
    from observatoire.platform.scorecards import access
    from observatoire.platform.scorecards.models import Scorecard

    user = context["request"].user
    scorecard = Scorecard.objects.filter(alliance=alliance).first()
    visible = scorecard is not None and access.can_view(user, scorecard)
    return {"alliance": alliance, "show": visible or access.can_edit(user, alliance),
            "exists": scorecard is not None}  # fmt: skip
