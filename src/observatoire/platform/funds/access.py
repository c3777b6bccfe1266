"""Who sees and who edits a fund: managers edit their fund, curators see all, visitors see what
is published.

A fund's managers (`Fund.managers`) edit it, its strands, supports and evaluations, and its own
instruments; curators (the `funds.see_all_funds` permission of the Curators group) read every
fund, request and evaluation; anyone else sees published funds, and in them only the published
supports and evaluations. Requests are never public. Superusers do everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from observatoire.platform.funds.models import Evaluation, Fund, Instrument, Support, SupportStatus

SEE_ALL = "funds.see_all_funds"


def _active(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_curator(user: object) -> bool:
    return _active(user) and bool(user.has_perm(SEE_ALL))  # type: ignore[attr-defined]


def manages(user: object, fund: Fund) -> bool:
    if not _active(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return fund.managers.filter(pk=user.pk).exists()  # type: ignore[attr-defined]


def sees_everything_in(user: object, fund: Fund) -> bool:
    """Curators and the fund's managers see its requests and unpublished records."""
    return is_curator(user) or manages(user, fund)


def visible_funds(user: object) -> QuerySet[Fund]:
    funds = Fund.objects.all()
    if is_curator(user) or getattr(user, "is_superuser", False):
        return funds
    public = Q(published=True, is_synthetic=False)
    if _active(user):
        return funds.filter(public | Q(managers=user)).distinct()
    return funds.filter(public)


def can_view(user: object, fund: Fund) -> bool:
    return (fund.published and not fund.is_synthetic) or sees_everything_in(user, fund)


def visible_supports(user: object) -> QuerySet[Support]:
    """Supports `user` may see: those of the funds they manage, all for curators, else only
    the published supports (never a request) of published real funds."""
    supports = Support.objects.select_related("fund", "strand", "alliance", "may_be_included_in")
    if is_curator(user) or getattr(user, "is_superuser", False):
        return supports
    public = Q(published=True, fund__published=True, fund__is_synthetic=False) & ~Q(
        status=SupportStatus.REQUESTED
    )
    if _active(user):
        return supports.filter(public | Q(fund__managers=user)).distinct()
    return supports.filter(public)


def visible_evaluations(user: object) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.select_related("fund", "alliance")
    if is_curator(user) or getattr(user, "is_superuser", False):
        return evaluations
    public = Q(published=True, fund__published=True, fund__is_synthetic=False)
    if _active(user):
        return evaluations.filter(public | Q(fund__managers=user)).distinct()
    return evaluations.filter(public)


def visible_instruments(user: object) -> QuerySet[Instrument]:
    instruments = Instrument.objects.select_related("fund")
    if is_curator(user) or getattr(user, "is_superuser", False):
        return instruments
    if _active(user):
        return instruments.filter(Q(published=True) | Q(fund__managers=user)).distinct()
    return instruments.filter(published=True)


def can_edit_instrument(user: object, instrument: Instrument) -> bool:
    if getattr(user, "is_superuser", False) and _active(user):
        return True
    return instrument.fund is not None and manages(user, instrument.fund)
