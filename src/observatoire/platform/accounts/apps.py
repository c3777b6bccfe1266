from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "observatoire.platform.accounts"
    label = "accounts"
    verbose_name = _("Comptes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from observatoire.platform.accounts.roles import ensure_roles

        # Permissions exist only after migrate: every app's roles are (re)made then, idempotently.
        post_migrate.connect(ensure_roles, dispatch_uid="observatoire.accounts.ensure_roles")
