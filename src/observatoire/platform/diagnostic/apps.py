from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticConfig(AppConfig):
    name = "observatoire.platform.diagnostic"
    label = "diagnostic"
    verbose_name = _("Diagnostic « faire alliance »")
    default_auto_field = "django.db.models.BigAutoField"
