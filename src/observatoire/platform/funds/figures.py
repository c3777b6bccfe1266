"""What a fund gave, counted: supports by form, region, objective and strand, the share of
non-financial support, and direct funding as a range when sources leave an overlap open.

Only supports actually given count (granted, paid or closed); requests are counted apart. Each
support is one form for one beneficiary, so the counts add up to the total. An amount that may
be included in another one counts in the upper bound of a total, not in the lower one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from observatoire import territory, vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.funds.models import Support, SupportStatus

NATIONAL = "national"
UNSTATED = "non-precise"


@dataclass(frozen=True)
class Amount:
    """A sum of euros: `low` counts once the amounts that may be included in others, `high`
    counts them all; `unknown` supports have no stated amount."""

    low: Decimal
    high: Decimal
    unknown: int = 0

    @property
    def exact(self) -> bool:
        return self.low == self.high and self.unknown == 0


def amount_of(supports: Sequence[Support]) -> Amount:
    members = {s.pk for s in supports}
    low = high = Decimal(0)
    unknown = 0
    for s in supports:
        if not s.is_financial:
            continue
        if s.amount_eur is None:
            unknown += 1
            continue
        high += s.amount_eur
        if s.may_be_included_in_id not in members:
            low += s.amount_eur
    return Amount(low, high, unknown)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    count: int
    share: float  # of all supports given, 0–1
    amount: Amount


@dataclass(frozen=True)
class AllianceSupports:
    alliance: Alliance | None  # None: the beneficiary has no fiche (or one the visitor cannot see)
    beneficiary: str
    supports: tuple[Support, ...]
    amount: Amount


@dataclass
class FundFigures:
    given: list[Support]
    requests: list[Support]
    by_form: list[Row] = field(default_factory=list)
    by_region: list[Row] = field(default_factory=list)
    by_objective: list[Row] = field(default_factory=list)
    by_strand: list[Row] = field(default_factory=list)
    direct_funding: Amount = Amount(Decimal(0), Decimal(0))
    beneficiaries: list[AllianceSupports] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.given)

    @property
    def non_financial(self) -> int:
        return sum(not s.is_financial for s in self.given)

    @property
    def non_financial_share(self) -> float | None:
        return self.non_financial / self.total if self.total else None


def region_of(ref: str) -> str:
    """The administrative region code of a territory, or NATIONAL for France as a whole."""
    try:
        return places.place(ref).region or NATIONAL
    except InputError:
        return UNSTATED


def region_label(code: str) -> str:
    if code == NATIONAL:
        return gettext("France entière")
    if code == UNSTATED:
        return gettext("Non précisé")
    try:
        return territory.get(code, "region").name
    except InputError:
        return code


def _rows(
    given: Sequence[Support],
    key: Callable[[Support], str],
    order: Iterable[tuple[str, str]],
    keep_empty: bool,
) -> list[Row]:
    groups: dict[str, list[Support]] = {}
    for s in given:
        groups.setdefault(key(s), []).append(s)
    total = len(given) or 1
    rows = [
        Row(
            code,
            label,
            len(groups.get(code, [])),
            len(groups.get(code, [])) / total,
            amount_of(groups.get(code, [])),
        )
        for code, label in order
        if keep_empty or groups.get(code)
    ]
    return rows


def _term_order(vocabulary: vocabularies.Vocabulary, language: str) -> list[tuple[str, str]]:
    return [(t.code, t.label(language)) for t in vocabulary]


def _unstated() -> tuple[str, str]:
    return UNSTATED, region_label(UNSTATED)


def compute(
    supports: Iterable[Support],
    language: str = "fr",
    can_see: Callable[[Alliance], bool] = lambda _a: True,
) -> FundFigures:
    """The figures of the given supports (already filtered to what the visitor may see)."""
    supports = list(supports)
    given = [s for s in supports if s.status != SupportStatus.REQUESTED]
    figures = FundFigures(given=given, requests=[s for s in supports if s not in given])
    figures.by_form = _rows(
        given, lambda s: s.form, _term_order(vocabularies.SUPPORT_FORMS, language), True
    )
    regions = Counter(region_of(s.territory) for s in given)
    figures.by_region = sorted(
        _rows(
            given,
            lambda s: region_of(s.territory),
            [(code, region_label(code)) for code in regions],
            False,
        ),
        key=lambda r: (-r.count, r.label),
    )
    figures.by_objective = _rows(
        given,
        lambda s: s.objective or UNSTATED,
        [*_term_order(vocabularies.OBJECTIVES, language), _unstated()],
        True,
    )
    figures.by_objective = [r for r in figures.by_objective if r.code != UNSTATED or r.count]
    strands = {s.strand_id: s.strand for s in given if s.strand is not None}
    figures.by_strand = _rows(
        given,
        lambda s: str(s.strand_id or UNSTATED),
        [
            *(
                (str(pk), st.title)
                for pk, st in sorted(strands.items(), key=lambda i: i[1].position)
            ),
            _unstated(),
        ],
        False,
    )
    figures.direct_funding = amount_of(given)
    figures.beneficiaries = _beneficiaries(given, can_see)
    return figures


def _beneficiaries(
    given: Sequence[Support], can_see: Callable[[Alliance], bool]
) -> list[AllianceSupports]:
    groups: dict[tuple[int | None, str], list[Support]] = {}
    for s in given:
        alliance_key = s.alliance_id if s.alliance is not None and can_see(s.alliance) else None
        groups.setdefault((alliance_key, "" if alliance_key else s.beneficiary), []).append(s)
    out = [
        AllianceSupports(
            alliance=items[0].alliance if alliance_key else None,
            beneficiary=items[0].alliance.title if alliance_key and items[0].alliance else name,
            supports=tuple(items),
            amount=amount_of(items),
        )
        for (alliance_key, name), items in groups.items()
    ]
    return sorted(out, key=lambda b: (-len(b.supports), b.beneficiary))
