from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "observatoire.platform.funds"
    label = "funds"
    verbose_name = _("Fonds et financements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from observatoire.platform.funds.roles import ensure_roles

        # Permissions only exist after migrate, so the groups are completed here, idempotently.
        post_migrate.connect(ensure_roles, sender=self)
