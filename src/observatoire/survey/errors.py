"""Errors of the survey engine.

A `SurveyError` is something the analyst can fix (a wrong column, an impossible design or target):
it subclasses `InputError` so the command line reports it in one sentence and exits 2.
"""

from __future__ import annotations

from observatoire.errors import InputError


class SurveyError(InputError):
    """A bad design, estimate request or calibration target; the message names what is wrong."""
