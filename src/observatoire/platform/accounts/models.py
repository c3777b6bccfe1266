"""The platform's user and its API tokens.

A user model of our own, decided before any production data exists, as Django recommends: it is
Django's standard user today (username, names, e-mail, groups, permissions), but adding a field
later (an organisation, a territory, a display name) is then an ordinary migration, whereas
swapping `AUTH_USER_MODEL` on a live database is a manual rewrite of every table that points at
users. Code refers to it as `settings.AUTH_USER_MODEL` (models) or `get_user_model()`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Meta:
        db_table = "accounts_user"
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")


class ApiToken(models.Model):
    """A bearer token of the API, acting as its user. Only the key's SHA-256 is kept; the key is
    shown once when issued (`accounts.tokens`). A revoked token stays listed, for the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("utilisateur"),
    )
    label = models.CharField(
        _("libellé"), max_length=100, blank=True, help_text=_("À quoi sert ce jeton.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, editable=False)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user} — {self.label or self.key_hash[:8]}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
