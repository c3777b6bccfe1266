"""Who may see and change a scorecard and its health checks.

- The alliance's partners (users with a `PartnerRepresentative` row for it) read and edit its
  scorecard and answer its health checks; curators see and edit everything.
- Anyone else reads a scorecard only if the partners made it public and its fiche is published
  (and real), and then only the indicators the partners published. Health checks are never
  public: only their aggregates by actor type are, once a cell has enough answers.
- Whatever is not visible answers exactly as what does not exist (404), so nobody learns that
  a private scorecard or health check is there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from observatoire.platform.alliances.models import Alliance, State
from observatoire.platform.scorecards.models import (
    Indicator,
    PartnerRepresentative,
    Scorecard,
    Visibility,
)
from observatoire.platform.scorecards.roles import CURATE


def is_curator(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(CURATE))


def mandate(user: Any, alliance: Alliance) -> PartnerRepresentative | None:
    """The partner `user` acts for in `alliance`, if any."""
    if not user.is_authenticated:
        return None
    return (
        PartnerRepresentative.objects.select_related("partner")
        .filter(alliance=alliance, user=user)
        .first()
    )


def is_member(user: Any, alliance: Alliance) -> bool:
    return mandate(user, alliance) is not None


def is_public(scorecard: Scorecard) -> bool:
    alliance = scorecard.alliance
    return (
        scorecard.visibility == Visibility.PUBLIC
        and alliance.state == State.PUBLISHED
        and not alliance.is_synthetic
    )


def can_view(user: Any, scorecard: Scorecard) -> bool:
    return is_public(scorecard) or can_edit(user, scorecard.alliance)


def can_edit(user: Any, alliance: Alliance) -> bool:
    """Partners of the alliance and curators edit its scorecard (an archived fiche is frozen)."""
    if is_curator(user):
        return True
    return alliance.state != State.ARCHIVED and is_member(user, alliance)


def can_see_health(user: Any, alliance: Alliance) -> bool:
    return is_curator(user) or is_member(user, alliance)


def visible_indicators(user: Any, scorecard: Scorecard) -> QuerySet[Indicator]:
    indicators = scorecard.indicators.select_related("stake").all()
    if can_edit(user, scorecard.alliance):
        return indicators
    return indicators.filter(is_public=True)


def public_scorecards() -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(
        visibility=Visibility.PUBLIC,
        alliance__state=State.PUBLISHED,
        alliance__is_synthetic=False,
    )


def scorecard_or_404(user: Any, slug: str) -> Scorecard:
    """The scorecard of the fiche `slug` if `user` may see it; 404 otherwise, as if missing."""
    scorecard = Scorecard.objects.select_related("alliance").filter(alliance__slug=slug).first()
    if scorecard is None or not can_view(user, scorecard):
        raise Http404
    return scorecard


def alliance_for_editing_or_404(user: Any, slug: str) -> Alliance:
    """The fiche `slug` if `user` may edit its scorecard; 404 otherwise (never 403: a 403 would
    tell a stranger that the fiche has a private scorecard)."""
    alliance = Alliance.objects.filter(slug=slug).first()
    if alliance is None or not can_edit(user, alliance):
        raise Http404
    return alliance
