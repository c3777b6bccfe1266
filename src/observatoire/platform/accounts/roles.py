"""Roles: Django groups of permissions, each app declaring its own in `<app>/roles.py`.

An app lists `ROLES = (Role(name, permissions), ...)` in its `roles.py`; after every migrate
(`apps.AccountsConfig.ready`) `ensure_roles` creates each group and adds its permissions. A
permission is `"app_label.codename"`, or `"app_label.*"` for all of that app's permissions; an
app's roles name permissions of its own app or of apps listed before it in `INSTALLED_APPS`
(those exist when its roles are made). Several apps may declare the same role: its group gets
the union, as every app adds its permissions to `ADMINISTRATORS`. Groups are only ever added to:
a permission given by hand in the admin stays.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q


@dataclass(frozen=True)
class Role:
    name: str  # the group's name, as people see it in the admin
    permissions: tuple[str, ...]


ADMINISTRATORS = "Administrateurs"

# Administrators manage accounts, groups and tokens.
ROLES = (Role(ADMINISTRATORS, ("auth.*", "accounts.*")),)


def declared(app_config: AppConfig) -> Sequence[Role]:
    """The roles that an app of the project declares in its `roles` module (none if it has none)."""
    if not app_config.name.startswith("observatoire."):
        return ()
    module_name = f"{app_config.name}.roles"
    if importlib.util.find_spec(module_name) is None:
        return ()
    return tuple(getattr(importlib.import_module(module_name), "ROLES", ()))


def _permissions_of(role: Role, using: str) -> Any:
    from django.contrib.auth.models import Permission

    wanted = Q(pk__in=[])
    named: set[tuple[str, str]] = set()
    for item in role.permissions:
        app_label, _, codename = item.partition(".")
        if codename == "*":
            wanted |= Q(content_type__app_label=app_label)
        else:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
            named.add((app_label, codename))
    found = list(Permission.objects.using(using).filter(wanted).select_related("content_type"))
    missing = named - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        names = ", ".join(sorted(f"{a}.{c}" for a, c in missing))
        raise ImproperlyConfigured(f"role {role.name!r} names unknown permissions: {names}")
    return found


def make(roles: Iterable[Role], using: str = DEFAULT_DB_ALIAS) -> None:
    """Create or complete the groups of these roles (idempotent)."""
    from django.contrib.auth.models import Group

    for role in roles:
        group, _ = Group.objects.using(using).get_or_create(name=role.name)
        group.permissions.add(*_permissions_of(role, using))


def ensure_roles(
    sender: AppConfig | None = None, using: str = DEFAULT_DB_ALIAS, **_kwargs: Any
) -> None:
    """The `post_migrate` receiver: make the roles of the app just migrated (all apps if none)."""
    configs = [sender] if sender is not None else list(apps.get_app_configs())
    make((role for config in configs for role in declared(config)), using=using)
