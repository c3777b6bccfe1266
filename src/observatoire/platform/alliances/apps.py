from __future__ import annotations

from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "observatoire.platform.alliances"
    label = "alliances"
    verbose_name = "Base des alliances"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from observatoire.platform.alliances.roles import ensure_roles

        # Permissions only exist after migrate, so the role groups are (re)made here, idempotently.
        post_migrate.connect(ensure_roles, sender=self)
