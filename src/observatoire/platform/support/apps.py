from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "observatoire.platform.support"
    label = "support"
    verbose_name = _("Annuaire de l'accompagnement")
    default_auto_field = "django.db.models.BigAutoField"
