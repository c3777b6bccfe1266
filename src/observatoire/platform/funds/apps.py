from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "observatoire.platform.funds"
    label = "funds"
    verbose_name = _("Fonds et financements")
    default_auto_field = "django.db.models.BigAutoField"
