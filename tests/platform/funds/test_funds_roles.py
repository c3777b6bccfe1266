"""Roles and history: managers edit their fund, curators see all, visitors see what is published;
every write is history-logged with its author and reason; statuses move only forward."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from observatoire.errors import InputError
from observatoire.platform.funds import access, records, status, validation
from observatoire.platform.funds.models import Fund, Support

REQUEST = {
    "alliance": "club-ess-urgence-etudiante",
    "form": "financement-direct",
    "description": "Une demande de financement pour la rentrée.",
    "amount_eur": 4000,
}


def _request(fund: Fund, user: Any) -> Support:
    return records.create_support(fund, validation.clean_support(REQUEST, fund), user)


def test_a_request_goes_through_its_statuses_and_leaves_its_history(
    content: Fund, manager: Any
) -> None:
    support = _request(content, manager)
    assert support.status == "requested" and not support.published
    assert [t.action for t in status.allowed(manager, support)] == ["grant", "decline"]
    status.apply(support, "grant", manager, "Comité du 3 mars")
    status.apply(support, "pay", manager)
    status.apply(support, "close", manager)
    history = list(support.history.order_by("history_date"))
    assert [h.status for h in history] == ["requested", "granted", "paid", "closed"]
    assert {h.history_user for h in history} == {manager}
    assert history[1].history_change_reason == "grant: Comité du 3 mars"
    with pytest.raises(InputError, match="cannot grant a closed support"):
        status.apply(support, "grant", manager)


def test_declining_needs_a_reason_and_in_kind_support_is_never_paid(
    content: Fund, manager: Any
) -> None:
    support = _request(content, manager)
    with pytest.raises(InputError, match="say why"):
        status.apply(support, "decline", manager)
    in_kind = content.supports.get(key="pemb-reseaux")
    assert [t.action for t in status.allowed(manager, in_kind)] == ["close"]
    with pytest.raises(InputError, match="cannot pay"):
        status.apply(in_kind, "pay", manager)
    with pytest.raises(InputError, match="unknown action"):
        status.apply(in_kind, "reopen", manager)


def test_only_the_funds_managers_write(
    content: Fund, manager: Any, other_manager: Any, curator: Any
) -> None:
    support = _request(content, manager)
    for intruder in (other_manager, curator, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            _request(content, intruder)
        with pytest.raises(PermissionDenied):
            status.apply(support, "grant", intruder)
        assert status.allowed(intruder, support) == []
    assert support.history.count() == 1


def test_an_edit_cannot_jump_statuses_and_keeps_the_key(content: Fund, manager: Any) -> None:
    support = _request(content, manager)
    data = validation.clean_support({**REQUEST, "status": "paid"}, content)
    with pytest.raises(InputError, match="cannot become paid"):
        records.update_support(support, data, manager)
    data = validation.clean_support({**REQUEST, "description": "Demande précisée."}, content)
    assert records.update_support(support, data, manager) is True
    assert records.update_support(support, data, manager) is False  # no change, no history
    support.refresh_from_db()
    assert support.key == data.key and support.history.count() == 2
    twin = _request(content, manager)
    assert twin.key == f"{support.key}-2"  # recording twice never overwrites


def test_visibility_by_role(content: Fund, manager: Any, curator: Any, visitor: Any) -> None:
    request = _request(content, manager)
    hidden = content.supports.get(key="pemb-donnees")
    hidden.published = False
    hidden.save()
    anonymous = AnonymousUser()
    public = set(access.visible_supports(anonymous).values_list("key", flat=True))
    assert request.key not in public and "pemb-donnees" not in public
    assert "pemb-reseaux" in public
    assert set(access.visible_supports(visitor)) == set(access.visible_supports(anonymous))
    for insider in (manager, curator):
        assert {request.key, "pemb-donnees"} <= set(
            access.visible_supports(insider).values_list("key", flat=True)
        )
    content.published = False
    content.save()
    assert not access.can_view(anonymous, content) and access.can_view(curator, content)
    assert not access.visible_supports(anonymous).exists()
    assert list(access.visible_funds(manager)) == [content]
    assert not access.visible_evaluations(anonymous).exists()


def test_fund_edits_and_managers_are_logged(content: Fund, manager: Any) -> None:
    data = validation.clean_fund(
        {"slug": content.slug, "name": content.name, "summary": "Résumé revu.", "published": True}
    )
    records.save_fund(data, manager, "relecture")
    last = content.history.latest()
    assert (last.summary, last.history_user, last.history_change_reason) == (
        "Résumé revu.",
        manager,
        "relecture",
    )
    assert [m.user for m in last.managers.all()] == [manager]  # who managed it, kept too
    intruder = Fund.objects.create(slug="autre", name="Autre", summary="Autre fonds.")
    with pytest.raises(PermissionDenied):
        records.save_fund(
            validation.clean_fund({"slug": "autre", "name": "x", "summary": "y"}), manager
        )
    with pytest.raises(PermissionDenied):
        records.save_fund(validation.clean_fund({"name": "Nouveau", "summary": "y"}), manager)
    assert intruder.history.count() == 1
