"""Errors of the survey engine.

A `SurveyError` is something the analyst can fix (a wrong column, an impossible design or target):
it subclasses `InputError` so the command line reports it in one sentence and exits 2.
"""

from __future__ import annotations

from typing import Any

from observatoire.errors import InputError


class SurveyError(InputError):
    """A bad design, estimate request or calibration target; the message names what is wrong."""


def number(value: Any) -> bool:
    """A real number (bool excluded): what an option that takes a number must be given."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def confidence_level(level: Any) -> float:
    """`level` checked: a number strictly between 0 and 1."""
    if not number(level) or not 0 < level < 1:
        raise SurveyError(f"the confidence level must be between 0 and 1, not {level!r}")
    return float(level)


def column_names(value: Any, what: str, *, optional: bool = False) -> list[str]:
    """Column names given as one name or a sequence of names (none when `optional`)."""
    if optional and (value is None or (isinstance(value, list | tuple) and not value)):
        return []
    names = [value] if isinstance(value, str) else value
    if (
        not isinstance(names, list | tuple)
        or not names
        or not all(isinstance(name, str) for name in names)
    ):
        raise SurveyError(f"{what} must be a column name or a list of column names, not {value!r}")
    return list(names)
