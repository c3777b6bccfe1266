"""The partnership health check: each partner's view, where views diverge, and the aggregates.

Each partner rates five statements from 1 (strongly disagree) to 5 (strongly agree), as
partnership brokers' health checks do, then the answers are set side by side. Per item, the
colour says how far the partners' views are apart (DIVERGENCE_RULES, shown on the page).
The platform-wide aggregates by actor type publish a cell only from MIN_CELL answers on.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from scipy import stats

from observatoire import vocabularies as v
from observatoire.platform.alliances.models import Partner
from observatoire.platform.scorecards.models import HealthAnswer, HealthCheck

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_CELL = 10  # answers below which an aggregate cell is not published
RED_SPREAD = 3  # points between the lowest and the highest rating
AMBER_SPREAD = 2
LOW_RATING = 2  # "plutôt pas d'accord" or less

STATEMENTS: dict[str, StrOrPromise] = {
    "apport": _("Notre organisation apporte à l'alliance ce à quoi elle s'est engagée."),
    "benefices": _("Notre organisation retire de l'alliance ce qu'elle en attendait."),
    "equilibre": _("Ce que chaque partenaire apporte à l'alliance et en retire est équilibré."),
    "confiance": _("Les partenaires se font confiance et partagent l'information utile."),
    "gouvernance": _("Les décisions sont prises de façon claire et partagée."),
}
SCALE: dict[int, StrOrPromise] = {
    1: _("Pas du tout d'accord"),
    2: _("Plutôt pas d'accord"),
    3: _("Mitigé"),
    4: _("Plutôt d'accord"),
    5: _("Tout à fait d'accord"),
}
DIVERGENCE_RULES: tuple[tuple[str, StrOrPromise], ...] = (
    ("rouge", _("Rouge : les notes des partenaires sont écartées de 3 points ou plus, ou la note "
               "moyenne est de 2 ou moins (désaccord partagé).")),
    ("orange", _("Orange : écart de 2 points, ou au moins un partenaire donne 2 ou moins.")),
    ("vert", _("Vert : écart d'au plus 1 point et toutes les notes à 3 ou plus.")),
    ("gris", _("Gris : moins de deux partenaires ont répondu.")),
)  # fmt: skip


@dataclass(frozen=True)
class View:
    partner: str
    actor_type: str
    rating: int
    comment: str


@dataclass
class ItemResult:
    item: str
    label: str
    statement: StrOrPromise
    views: list[View] = field(default_factory=list)
    colour: str = "gris"
    reason: StrOrPromise = ""

    @property
    def spread(self) -> int | None:
        ratings = [view.rating for view in self.views]
        return max(ratings) - min(ratings) if ratings else None


def divergence(ratings: list[int]) -> tuple[str, StrOrPromise]:
    """The colour of one item from the partners' ratings, and why (DIVERGENCE_RULES)."""
    if len(ratings) < 2:
        return "gris", _("moins de deux réponses")
    spread = max(ratings) - min(ratings)
    if spread >= RED_SPREAD:
        return "rouge", _("les vues divergent fortement")
    if sum(ratings) / len(ratings) <= LOW_RATING:
        return "rouge", _("désaccord partagé")
    if spread >= AMBER_SPREAD:
        return "orange", _("les vues divergent")
    if min(ratings) <= LOW_RATING:
        return "orange", _("un partenaire au moins est en désaccord")
    return "vert", _("vues concordantes")


@dataclass
class RoundResult:
    check: HealthCheck
    items: list[ItemResult]
    answered: list[Partner]
    waiting: list[Partner]


def round_result(check: HealthCheck) -> RoundResult:
    """Every item with each partner's view side by side, its colour, who answered and who not."""
    partners = list(check.scorecard.alliance.partners.all())
    answers = (
        HealthAnswer.objects.filter(response__check_round=check)
        .select_related("response__partner")
        .order_by("response__partner__position", "response__partner_id")
    )
    items = {
        term.code: ItemResult(term.code, term.fr, STATEMENTS[term.code]) for term in v.HEALTH_ITEMS
    }
    answered_ids = set()
    for answer in answers:
        partner = answer.response.partner
        answered_ids.add(partner.pk)
        items[answer.item].views.append(
            View(partner.name, partner.actor_type, answer.rating, answer.comment)
        )
    for result in items.values():
        result.colour, result.reason = divergence([view.rating for view in result.views])
    return RoundResult(
        check,
        list(items.values()),
        [p for p in partners if p.pk in answered_ids],
        [p for p in partners if p.pk not in answered_ids],
    )


@dataclass(frozen=True)
class Cell:
    actor_type: str
    item: str
    n: int
    mean: float | None = None  # None when n < MIN_CELL: the cell is not published
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


def aggregates(confidence: float = 0.95) -> list[Cell]:
    """Mean rating by actor type and item over every real alliance, each partner's latest
    answer counting once. A t interval (the answers are not a random sample: it shows the
    spread of the answers, not a margin of error on a population)."""
    rows = HealthAnswer.objects.filter(
        response__check_round__scorecard__alliance__is_synthetic=False
    ).values_list("response__partner_id", "response__partner__actor_type", "item", "rating",
                  "response__answered_at")  # fmt: skip
    by_partner: dict[tuple[int, str], tuple[str, int, object]] = {}
    for partner_id, actor_type, item, rating, answered_at in rows:
        key = (partner_id, item)
        if key not in by_partner or answered_at > by_partner[key][2]:  # type: ignore[operator]
            by_partner[key] = (actor_type, rating, answered_at)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (_partner, item), (actor_type, rating, _when) in by_partner.items():
        groups[(actor_type, item)].append(rating)
    cells = []
    for actor_type in v.ACTOR_TYPES.codes:
        for item in v.HEALTH_ITEMS.codes:
            ratings = groups.get((actor_type, item), [])
            n = len(ratings)
            if n < MIN_CELL:
                cells.append(Cell(actor_type, item, n))
                continue
            mean = sum(ratings) / n
            sd = math.sqrt(sum((r - mean) ** 2 for r in ratings) / (n - 1))
            se = sd / math.sqrt(n)
            half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
            cells.append(Cell(actor_type, item, n, mean, se, mean - half, mean + half))
    return cells
