"""Figures as a reader sees them, in the reader's language: "5,7" and "74 %" in French (the
default, as every study document), "5.7" and "74%" in English. Babel holds the locale rules.

    >>> percent(0.74), percent(0.74, language="en"), ordinal(1), ordinal(2, language="en")
    ('74\\xa0%', '74%', '1er', '2nd')
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.numbers import format_decimal, format_percent

from observatoire.results_contract.columns import is_mean

FRENCH = "fr"
MISSING = "–"


@cache
def _locale(language: str) -> Locale:
    """Babel's locale of a language code as Django gives it ("fr", "en", "en-gb")."""
    return Locale.parse(language.replace("-", "_"))


def _decimal(value: float, pattern: str, language: str) -> str:
    return format_decimal(value, format=pattern, locale=_locale(language))


def mark(value: float | None, digits: int = 1, *, language: str = FRENCH) -> str:
    """A mean on its own scale: 5.7 -> "5,7" ("5.7" in English)."""
    if value is None:
        return MISSING
    return _decimal(value, "0." + "0" * digits, language)


def percent(value: float | None, *, language: str = FRENCH) -> str:
    """A share given as a fraction: 0.74 -> "74 %" (no-break space), "74%" in English."""
    if value is None:
        return MISSING
    return format_percent(value, locale=_locale(language))


def count(value: float | None, *, language: str = FRENCH) -> str:
    """A whole number with the language's digit grouping: 51900000 -> "51 900 000"."""
    if value is None:
        return MISSING
    return _decimal(round(value), "#,##0", language)


def millions(value: float, *, language: str = FRENCH) -> str:
    """51900000 -> "51,9 M"."""
    return f"{_decimal(value / 1e6, '0.0', language)}\u00a0M"


def signed(value: float | None, *, share: bool, language: str = FRENCH) -> str:
    """A difference: +0,3 for means, +5 pts for shares (points of percentage)."""
    if value is None:
        return MISSING
    if share:
        points = round(value * 100)
        text = _decimal(abs(points), "0", language)
        sign = "+" if points > 0 else "−" if points < 0 else "±"
        return f"{sign}{text}\u00a0pt{'s' if abs(points) > 1 else ''}"
    text = _decimal(abs(value), "0.0", language)
    sign = "+" if value > 0.05 else "−" if value < -0.05 else "±"
    return f"{sign}{text}"


def ordinal(rank: float | None, *, language: str = FRENCH) -> str:
    """A rank: 1 -> "1er", 4 -> "4e"; in English "1st", "2nd", "3rd", "4th", "11th"."""
    if rank is None:
        return MISSING
    n = int(rank)
    if _locale(language).language == FRENCH:
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def value(estimate: float | None, indicator: str, *, language: str = FRENCH) -> str:
    """An estimate in its own format: means as marks, everything else as a percentage."""
    if is_mean(indicator):
        return mark(estimate, language=language)
    return percent(estimate, language=language)


def difference(estimate: float | None, indicator: str, *, language: str = FRENCH) -> str:
    """A change or a contrast of a figure: "+0,3" for means, "+5 pts" for shares."""
    return signed(estimate, share=not is_mean(indicator), language=language)
