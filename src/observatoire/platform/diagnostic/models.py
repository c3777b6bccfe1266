"""What the diagnostic keeps: each respondent's answers under their own link, and counts.

A `Diagnostic` is reachable only through its personal link; the database holds a hash of the
link's key, never the key, so a copy of the database opens nobody's answers. No account, name,
address or time of day is kept: dates only, for the retention purge. `CompletionCount` holds the
only figures the observatory draws from the diagnostics: completed diagnostics counted by actor
type, entry door and study region, with no way back to who answered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire import vocabularies


class Diagnostic(models.Model):
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    version = models.PositiveSmallIntegerField(_("version du questionnaire"))
    actor_type = models.CharField(
        _("type d'acteur"), max_length=20, choices=vocabularies.ACTOR_TYPES.choices()
    )
    commune = models.CharField(_("commune (code INSEE)"), max_length=5, blank=True)
    answers = models.JSONField(_("réponses"), default=dict)
    result = models.JSONField(_("résultat"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("diagnostic précédent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("commencé le"), auto_now_add=True)
    last_active_on = models.DateField(_("dernière activité"), auto_now=True)
    completed_on = models.DateField(_("terminé le"), null=True, blank=True)
    counted = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")

    def __str__(self) -> str:
        return f"diagnostic {self.pk}"


class CompletionCount(models.Model):
    actor_type = models.CharField(max_length=20, choices=vocabularies.ACTOR_TYPES.choices())
    door = models.CharField(max_length=40, choices=vocabularies.OBJECTIVES.choices())
    region = models.CharField(max_length=3, blank=True)  # study region code, "" if none
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["actor_type", "door", "region"], name="diagnostic_count_cell"
            ),
        )

    def __str__(self) -> str:
        return f"{self.actor_type} / {self.door} / {self.region}: {self.count}"
