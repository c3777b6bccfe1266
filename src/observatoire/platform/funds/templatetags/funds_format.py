"""Amounts and shares as a reader of the page's language expects them ("10 000 €", "67 %")."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, format_percent
from django import template
from django.utils.translation import get_language, gettext, ngettext

from observatoire import vocabularies
from observatoire.platform.funds.figures import Amount

register = template.Library()


def _locale() -> str:
    return "en_GB" if (get_language() or "fr").startswith("en") else "fr_FR"


@register.filter
def euros(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" if Decimal(value) == Decimal(value).to_integral_value() else "#,##0.00"
    number = format_decimal(value, format=pattern, locale=_locale())
    return f"€{number}" if _locale() == "en_GB" else f"{number}\u00a0€"


@register.filter
def amount_range(value: Amount) -> str:
    """An exact sum, or "10 000 € à 13 000 €" when an overlap is open."""
    if value.low == value.high:
        return euros(value.low)
    return gettext("%(low)s à %(high)s") % {"low": euros(value.low), "high": euros(value.high)}


@register.filter
def unknown_amounts(value: Amount) -> str:
    if not value.unknown:
        return ""
    return ngettext("%(n)d montant non précisé", "%(n)d montants non précisés", value.unknown) % {
        "n": value.unknown
    }


@register.filter
def amount(value: Amount) -> str:
    """The range, followed by the number of supports whose amount is not stated."""
    text = amount_range(value) if value.high or not value.unknown else ""
    unknown = unknown_amounts(value)
    return f"{text} (+ {unknown})" if text and unknown else text or unknown


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "–"
    pattern = "0%" if _locale() == "en_GB" else "0\u00a0%"
    return format_percent(value, format=pattern, locale=_locale())


@register.filter
def bar_width(count: int, largest: int) -> str:
    """A bar's length in the 0–100 units of the chart's SVG, the largest bar filling it."""
    return f"{100 * count / largest:.1f}" if largest else "0"


@register.filter
def term(code: str, vocabulary: str) -> str:
    """A vocabulary code's label in the page's language: {{ s.form|term:"support_forms" }}."""
    terms = vocabularies.get(vocabulary)
    return terms[code].label(get_language() or "fr") if code in terms else code
