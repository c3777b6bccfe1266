from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "observatoire.platform.scorecards"
    label = "scorecards"
    verbose_name = _("Tableaux de bord et santé des partenariats")
    default_auto_field = "django.db.models.BigAutoField"
