from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "observatoire.platform.alliances"
    label = "alliances"
    verbose_name = _("Base des alliances")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from observatoire.platform.alliances import search

        def forget(sender: type, instance: Any, **_kwargs: Any) -> None:
            search.backend().forget([instance.pk])

        post_delete.connect(forget, sender=self.get_model("Alliance"), weak=False)
