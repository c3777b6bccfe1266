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
        from django.db.models.signals import post_delete, post_save

        from observatoire.platform.alliances import search
        from observatoire.platform.alliances.search import answers

        def forget(sender: type, instance: Any, **_kwargs: Any) -> None:
            search.backend().forget([instance.pk])

        alliance = self.get_model("Alliance")
        post_delete.connect(forget, sender=alliance, weak=False)
        for signal in (post_save, post_delete):
            signal.connect(answers.new_generation, sender=alliance, weak=False)
