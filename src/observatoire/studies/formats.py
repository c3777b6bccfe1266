"""French number formats for everything a reader sees ("5,7", "74 %", "+0,3 pt")."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

LOCALE = "fr_FR"


def mark(value: float | None, digits: int = 1) -> str:
    """A mean on its own scale: 5.7 -> "5,7"."""
    if value is None:
        return "–"
    return format_decimal(value, format="0." + "0" * digits, locale=LOCALE)


def percent(value: float | None) -> str:
    """A share given as a fraction: 0.74 -> "74 %" (with a no-break space)."""
    if value is None:
        return "–"
    return format_percent(value, format="0\u00a0%", locale=LOCALE)


def count(value: float | None) -> str:
    """A whole number with French digit grouping: 51900000 -> "51 900 000"."""
    if value is None:
        return "–"
    return format_decimal(round(value), format="#,##0", locale=LOCALE)


def millions(value: float) -> str:
    """51900000 -> "51,9 M"."""
    return f"{format_decimal(value / 1e6, format='0.0', locale=LOCALE)}\u00a0M"


def signed(value: float | None, *, share: bool) -> str:
    """A difference: +0,3 for means, +5 pts for shares (points of percentage)."""
    if value is None:
        return "–"
    if share:
        points = round(value * 100)
        text = format_decimal(abs(points), format="0", locale=LOCALE)
        sign = "+" if points > 0 else "−" if points < 0 else "±"
        return f"{sign}{text}\u00a0pt{'s' if abs(points) > 1 else ''}"
    text = format_decimal(abs(value), format="0.0", locale=LOCALE)
    sign = "+" if value > 0.05 else "−" if value < -0.05 else "±"
    return f"{sign}{text}"


def ordinal(rank: float | None) -> str:
    """A rank the French way: 1 -> "1er", 4 -> "4e"."""
    if rank is None:
        return "–"
    return "1er" if int(rank) == 1 else f"{int(rank)}e"


def value(estimate: float | None, indicator: str) -> str:
    """An estimate in its own format: means as marks, everything else as a percentage."""
    return mark(estimate) if indicator.startswith("mean") else percent(estimate)
