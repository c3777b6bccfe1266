"""Roll-ups of published scorecards by territory, objective and impact, for one year.

Only what can be added is added: the same common-core indicator (a shared definition), in the
same unit, when that unit is a count or an amount. Everything else is listed as left out, with
the reason: specific indicators (each alliance defines its own), ratios, percentages and ratings,
and tracked indicators without a measurement that year. Within a year, a flow sums its periods
ending that year and a stock takes its latest value; across alliances, values are summed (the
same person or place may be counted by two alliances, which the page says).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from observatoire import territory
from observatoire import vocabularies as v
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.alliances.search import facets
from observatoire.platform.scorecards import access, catalogue
from observatoire.platform.scorecards.models import Measurement, Scorecard, Temporality

GROUPS = ("objective", "impact", "region")


@dataclass(frozen=True)
class Filters:
    territory: str = ""  # a territory reference (INSEE code, SIREN, REG-xx…); "" for France
    objective: str = ""
    impact: str = ""
    year: int | None = None
    group: str = ""

    def clean(self) -> Filters:
        """Checked filters (InputError naming the bad parameter)."""
        territory = ""
        if self.territory:
            try:
                territory = places.place(self.territory[:40]).key
            except InputError as exc:
                raise InputError(exc.message, field="territory") from None
        if self.objective and self.objective not in v.OBJECTIVES:
            raise InputError(f"unknown objective {self.objective[:40]!r}", field="objective")
        if self.impact and self.impact not in v.IMPACTS:
            raise InputError(f"unknown impact {self.impact[:40]!r}", field="impact")
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise InputError("the year must be between 1900 and 2200", field="year")
        if self.group and self.group not in GROUPS:
            raise InputError(f"unknown grouping (allowed: {', '.join(GROUPS)})", field="group")
        return Filters(territory, self.objective, self.impact, self.year, self.group)


def scorecards(filters: Filters, within: str = "") -> QuerySet[Scorecard]:
    """The published scorecards of published fiches inside the territory (and `within`, a
    second territory key), with the objective and impact (the fiche's own codes, as the base's
    search reads them)."""
    found = access.public_scorecards()
    for facet, code in (
        (facets.PLACE, filters.territory),
        (facets.PLACE, within),
        ("objective", filters.objective),
        ("impact", filters.impact),
    ):
        if code:
            found = found.filter(
                alliance__facet_values__facet=facet, alliance__facet_values__code=code
            )
    return found.select_related("alliance").distinct()


@dataclass
class Contribution:
    title: str
    slug: str
    value: Decimal
    confidence: list[str]


@dataclass
class Line:
    code: str
    label: str
    unit: str
    breakdown: str  # breakdown code, "" for the whole
    total: Decimal = Decimal(0)
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class LeftOut:
    label: str
    reason: str
    alliances: list[str]


@dataclass
class Rollup:
    year: int | None
    years: list[int]
    alliances: int
    lines: list[Line]
    left_out: list[LeftOut]


def _year_value(
    temporality: str, rows: list[Measurement]
) -> tuple[dict[str, Decimal], dict[str, set[str]]]:
    """One scorecard's value per breakdown code for the year: the sum of a flow's periods, the
    last value of a stock; with the confidence levels behind each."""
    values: dict[str, Decimal] = {}
    confidence: dict[str, set[str]] = defaultdict(set)
    by_code: dict[str, list[Measurement]] = defaultdict(list)
    for m in rows:
        by_code[m.breakdown_code].append(m)
    for code, items in by_code.items():
        if temporality == Temporality.STOCK:
            last = max(items, key=lambda m: m.date)
            values[code] = last.value
            confidence[code].add(last.confidence)
        else:
            values[code] = sum((m.value for m in items), Decimal(0))
            confidence[code] |= {m.confidence for m in items}
    if "" not in values and values:
        values[""] = sum(values.values(), Decimal(0))  # the whole, from its breakdown
        confidence[""] = set().union(*confidence.values())
    return values, confidence


def rollup(filters: Filters, within: str = "") -> Rollup:
    """The roll-up for `filters.year` (by default the latest year with a published measurement)."""
    cards = list(scorecards(filters, within))
    measurements = list(
        Measurement.objects.filter(scorecard__in=cards, indicator__is_public=True).select_related(
            "indicator", "scorecard__alliance"
        )
    )
    years = sorted({m.date.year for m in measurements}, reverse=True)
    year = filters.year if filters.year is not None else (years[0] if years else None)
    this_year = [m for m in measurements if m.date.year == year]
    grouped: dict[tuple[int, int], list[Measurement]] = defaultdict(list)
    for m in this_year:
        grouped[(m.scorecard_id, m.indicator_id)].append(m)
    lines: dict[tuple[str, str], Line] = {}
    left: dict[tuple[str, str], LeftOut] = {}

    def leave(key: tuple[str, str], label: str, reason: str, title: str) -> None:
        entry = left.setdefault(key, LeftOut(label, reason, []))
        if title not in entry.alliances:
            entry.alliances.append(title)

    measured = set()
    for rows in grouped.values():
        indicator, alliance = rows[0].indicator, rows[0].scorecard.alliance
        measured.add((rows[0].scorecard_id, indicator.pk))
        if not indicator.is_common:
            reason = _("propres à chaque alliance : leurs définitions diffèrent")
            leave(("specific", ""), _("Indicateurs spécifiques"), reason, alliance.title)
            continue
        common = catalogue.COMMON_BY_CODE[indicator.code]
        if indicator.unit != common.unit or indicator.unit not in catalogue.ADDITIVE_UNITS:
            unit = v.UNITS[indicator.unit].label(get_language() or "fr")
            reason = _("%(unit)s : ne s'additionne pas") % {"unit": unit}
            leave((indicator.code, "unit"), common.name, reason, alliance.title)
            continue
        values, confidence = _year_value(indicator.temporality, rows)
        for code, value in values.items():
            line = lines.setdefault(
                (indicator.code, code), Line(indicator.code, common.name, indicator.unit, code)
            )
            line.total += value
            line.contributions.append(
                Contribution(alliance.title, alliance.slug, value, sorted(confidence[code]))
            )
    for card in cards:
        for indicator in card.indicators.filter(is_public=True, is_common=True):
            if indicator.tracked and (card.pk, indicator.pk) not in measured and year:
                reason = _("suivi sans mesure en %(year)s") % {"year": year}
                leave((indicator.code, "missing"), indicator.name, reason, card.alliance.title)
    order = {code: i for i, code in enumerate(v.COMMON_INDICATORS.codes)}
    return Rollup(
        year=year,
        years=years,
        alliances=len(cards),
        lines=sorted(lines.values(), key=lambda line: (order[line.code], line.breakdown)),
        left_out=sorted(left.values(), key=lambda entry: entry.label),
    )


def grouped(filters: Filters) -> list[tuple[str, str, Rollup]]:
    """One roll-up per objective, impact or region (code, label, roll-up), empty groups left
    out. An alliance with several objectives counts in each: the groups do not add up."""
    if filters.group == "region":
        keys = [(r.ref, r.name) for r in territory.regions()]
    else:
        vocabulary = v.OBJECTIVES if filters.group == "objective" else v.IMPACTS
        keys = [(t.code, t.label(get_language() or "fr")) for t in vocabulary]
    out = []
    for code, label in keys:
        if filters.group == "region":
            result = rollup(replace(filters, group=""), within=code)
        elif filters.group == "objective":
            result = rollup(replace(filters, group="", objective=code))
        else:
            result = rollup(replace(filters, group="", impact=code))
        if result.alliances:
            out.append((code, label, result))
    return out
