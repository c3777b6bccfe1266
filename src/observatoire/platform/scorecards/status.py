"""An indicator's status against its target, by rules stated on every board (RULES).

Progress is the share of the way from the baseline to the target covered by the latest value;
the expected progress is the share of the time from the baseline date to the target date that
had passed at the latest measurement. Green: target reached, or progress at least as expected;
amber: at least three quarters of the expected progress; red: less, or the target date passed
without reaching it; grey: nothing to compare (not tracked, no measurement, no target).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from observatoire.platform.scorecards import catalogue
from observatoire.platform.scorecards.models import Direction, Indicator, Measurement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

AMBER_SHARE = Decimal("0.75")  # amber down to three quarters of the expected progress

RULES: tuple[tuple[str, StrOrPromise], ...] = (
    (
        "vert",
        _(
            "Vert : cible atteinte, ou progression au moins égale à celle attendue à la date "
            "de la dernière mesure (part du temps écoulé entre la référence et l'échéance)."
        ),
    ),
    (
        "orange",
        _(
            "Orange : progression d'au moins les trois quarts de celle attendue, ou cible non "
            "atteinte sans valeur de référence pour mesurer le chemin parcouru."
        ),
    ),
    (
        "rouge",
        _(
            "Rouge : progression inférieure aux trois quarts de celle attendue, ou échéance "
            "passée sans que la cible soit atteinte."
        ),
    ),
    (
        "gris",
        _("Gris : rien à comparer (indicateur non suivi, pas encore de mesure, ou pas de cible)."),
    ),
)


@dataclass(frozen=True)
class Status:
    colour: str  # vert, orange, rouge, gris
    label: StrOrPromise
    latest: Decimal | None = None
    latest_date: datetime.date | None = None
    progress: Decimal | None = None  # share of the way from baseline to target
    expected: Decimal | None = None  # share of the time from baseline date to target date


def latest(
    indicator: Indicator, measurements: Sequence[Measurement]
) -> tuple[Decimal | None, datetime.date | None]:
    """The latest value: at the latest date, the sum over the breakdown when it can be added
    (partners of every type), else the value without breakdown if there is one."""
    if not measurements:
        return None, None
    last = max(m.date for m in measurements)
    at_last = [m for m in measurements if m.date == last]
    whole = [m for m in at_last if not m.breakdown_code]
    if whole:
        return whole[0].value, last
    if indicator.unit in catalogue.ADDITIVE_UNITS:
        return sum((m.value for m in at_last), Decimal(0)), last
    return None, last


def _share(numerator: float, denominator: float) -> Decimal:
    return Decimal(str(round(numerator / denominator, 4)))


def assess(indicator: Indicator, measurements: Sequence[Measurement]) -> Status:
    if not indicator.tracked:
        return Status("gris", _("non suivi"))
    value, when = latest(indicator, measurements)
    if value is None or when is None:
        return Status("gris", _("pas encore de mesure"), latest_date=when)
    target = indicator.target
    if target is None or indicator.target_date is None:
        return Status("gris", _("pas de cible"), value, when)
    baseline, start = indicator.baseline, indicator.baseline_date
    if baseline is None or start is None or baseline == target:
        upward = indicator.direction == Direction.UP
        reached = value >= target if upward else value <= target
        if reached:
            return Status("vert", _("cible atteinte"), value, when)
        if when >= indicator.target_date:
            return Status("rouge", _("échéance passée, cible non atteinte"), value, when)
        return Status("orange", _("cible pas encore atteinte"), value, when)
    progress = _share(float(value - baseline), float(target - baseline))
    if progress >= 1:
        return Status("vert", _("cible atteinte"), value, when, progress)
    if when >= indicator.target_date:
        return Status("rouge", _("échéance passée, cible non atteinte"), value, when, progress)
    elapsed = max((when - start).days, 0)
    expected = min(_share(elapsed, (indicator.target_date - start).days), Decimal(1))
    if progress >= expected:
        return Status("vert", _("en bonne voie"), value, when, progress, expected)
    if progress >= AMBER_SHARE * expected:
        return Status("orange", _("à surveiller"), value, when, progress, expected)
    return Status("rouge", _("en retard"), value, when, progress, expected)
