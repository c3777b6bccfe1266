"""Roles: each app declares its groups in its own `roles.py`; migrate makes all of them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from observatoire.platform.accounts import roles

pytestmark = pytest.mark.django_db


def _perms(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_made_every_declared_role() -> None:
    declared = {role.name for config in apps.get_app_configs() for role in roles.declared(config)}
    assert {"Administrateurs", "Contributeurs", "Curateurs"} <= declared
    assert set(Group.objects.values_list("name", flat=True)) >= declared
    assert "alliances.add_alliance" in _perms("Contributeurs")
    assert "alliances.publish_alliance" not in _perms("Contributeurs")
    assert "alliances.publish_alliance" in _perms("Curateurs")


def test_a_role_declared_by_several_apps_gets_all_their_permissions() -> None:
    administrators = _perms(roles.ADMINISTRATORS)
    assert {"accounts.add_apitoken", "accounts.change_user", "auth.change_group"} <= administrators
    assert "alliances.merge_alliance" in administrators


def test_roles_are_only_added_to_and_remade_idempotently() -> None:
    from django.contrib.auth.models import Permission

    extra = Permission.objects.get(codename="view_apitoken")
    Group.objects.get(name="Contributeurs").permissions.add(extra)
    roles.ensure_roles()
    roles.ensure_roles()
    assert Group.objects.filter(name="Contributeurs").count() == 1
    assert "accounts.view_apitoken" in _perms("Contributeurs")


def test_an_unknown_permission_is_named() -> None:
    with pytest.raises(
        ImproperlyConfigured, match=r"'Testeurs' names unknown permissions: alliances.fly"
    ):
        roles.make([roles.Role("Testeurs", ("alliances.view_alliance", "alliances.fly"))])
