"""The alliance fiche, its partners, its search index rows and its curation history."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire import vocabularies


class State(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("En relecture")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class Freshness(models.TextChoices):
    FRESH = "a-jour", _("À jour")
    DUE = "a-revoir", _("À revoir")
    STALE = "perimee", _("Périmée")


class Alliance(models.Model):
    """A fiche of the base: what the alliance is, where, with whom, for what, and from which source.

    List-valued codes are kept as JSON for display; search never reads them (it reads the
    denormalised `FacetValue` rows that `indexing.reindex` derives from them).
    """

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"))
    description = models.TextField(_("description (Markdown)"), blank=True)
    territories = models.JSONField(_("territoires (codes INSEE)"), default=list)
    objectives = models.JSONField(_("objectifs"), default=list, blank=True)
    impacts = models.JSONField(_("impacts"), default=list, blank=True)
    partnership_categories = models.JSONField(
        _("catégories de partenariat"), default=list, blank=True
    )
    fragilities = models.JSONField(_("fragilités"), default=list, blank=True)
    support_forms = models.JSONField(_("formes d'accompagnement"), default=list, blank=True)
    innovation_stage = models.CharField(
        _("étape d'innovation"),
        max_length=40,
        blank=True,
        choices=vocabularies.INNOVATION_STAGES.choices(),
    )
    timeline = models.JSONField(_("chronologie"), default=list, blank=True)
    results = models.JSONField(_("résultats"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    licence = models.CharField(_("licence du texte"), max_length=80, default="CC BY-SA 4.0")
    source_name = models.CharField(_("source de l'import"), max_length=100, blank=True)
    import_id = models.CharField(_("identifiant d'import"), max_length=200, blank=True)
    raw_record = models.JSONField(_("enregistrement importé"), null=True, blank=True)
    update_frequency_months = models.PositiveSmallIntegerField(
        _("fréquence de mise à jour (mois)"), default=12
    )
    last_reviewed = models.DateField(_("dernière revue"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    is_synthetic = models.BooleanField(_("synthétique"), default=False, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alliances",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée dans"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    partners_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fiche alliance")
        verbose_name_plural = _("fiches alliances")
        ordering = ("title",)
        constraints = (
            models.UniqueConstraint(
                fields=["source_name", "import_id"],
                condition=~Q(import_id=""),
                name="alliances_unique_import",
            ),
        )
        permissions = (
            ("publish_alliance", "Peut relire, publier et archiver les fiches"),
            ("merge_alliance", "Peut fusionner les doublons"),
        )

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Never write `search_vector` from the instance: the search backend maintains it in the
        database, and an instance loaded before the last reindex holds a stale copy."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "search_vector"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("alliances:detail", args=[self.slug])

    def freshness(self, today: datetime.date | None = None) -> Freshness:
        """Fresh within the declared update frequency, due within twice it, stale beyond."""
        if self.last_reviewed is None:
            return Freshness.DUE
        age_days = ((today or datetime.date.today()) - self.last_reviewed).days
        period_days = max(self.update_frequency_months, 1) * 30.44
        if age_days <= period_days:
            return Freshness.FRESH
        return Freshness.DUE if age_days <= 2 * period_days else Freshness.STALE


class Partner(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="partners")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nom"), max_length=200)
    actor_type = models.CharField(
        _("type d'acteur"), max_length=40, choices=vocabularies.ACTOR_TYPES.choices()
    )
    size = models.CharField(
        _("taille"), max_length=40, blank=True, choices=vocabularies.ORGANISATION_SIZES.choices()
    )
    role = models.CharField(_("rôle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partenaire")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


class FacetValue(models.Model):
    """One (facet, code) of one fiche: the table that filters and facet counts read."""

    # No index of its own: the unique (alliance, facet, code) index serves lookups by fiche.
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="facet_values", db_index=False
    )
    facet = models.CharField(max_length=20)
    code = models.CharField(max_length=60)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["alliance", "facet", "code"], name="alliances_unique_facet_value"
            ),
        )
        # Code first: a territory is found by (code, facet); a fiche's rows of some facets by the
        # unique (alliance, facet, code) index, which a (facet, …) index would compete with.
        indexes = (
            models.Index(fields=["code", "facet", "alliance"], name="alliances_code_facet_idx"),
        )

    def __str__(self) -> str:
        return f"{self.facet}={self.code}"


class CurationEvent(models.Model):
    """Who did what to a fiche, and when: the curation history."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("événement de curation")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%Y-%m-%d %H:%M})"
