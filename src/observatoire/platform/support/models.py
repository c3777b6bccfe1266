"""Support structures and their services (the data·inclusion split), coverage rows, curation
history and the anonymous count of orientation gaps ("zones blanches").

A structure is who (a DLA, a CRESS, a catalyst…); a service is what it offers, to whom and where
(its coverage zones). Code lists are kept as JSON for display; filters never read them: they
read the `ServiceTag` and `Coverage` rows that `indexing.reindex` derives from them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire import vocabularies
from observatoire.platform.support import inclusion


class State(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("En relecture")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class Structure(models.Model):
    """A support organisation: identity, location (optional), contacts and provenance."""

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    structure_type = models.CharField(
        _("type de structure"),
        max_length=40,
        choices=vocabularies.SUPPORT_STRUCTURE_TYPES.choices(),
    )
    networks = models.JSONField(_("réseaux porteurs (data·inclusion)"), default=list, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    commune = models.CharField(_("commune (code INSEE)"), max_length=5, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)
    email = models.EmailField(_("courriel"), max_length=254, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    licence = models.CharField(_("licence"), max_length=80, default="Licence Ouverte 2.0")
    source_name = models.CharField(_("source de l'import"), max_length=100, blank=True)
    import_id = models.CharField(_("identifiant d'import"), max_length=200, blank=True)
    raw_record = models.JSONField(_("enregistrement importé"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importée le"), null=True, blank=True)
    is_fictitious = models.BooleanField(_("fictive (démonstration)"), default=False)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_structures",
    )
    update_frequency_months = models.PositiveSmallIntegerField(
        _("fréquence de mise à jour (mois)"), default=12
    )
    last_reviewed = models.DateField(_("dernière mise à jour"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("structure d'accompagnement")
        verbose_name_plural = _("structures d'accompagnement")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=["source_name", "import_id"],
                condition=~Q(import_id=""),
                name="support_unique_structure_import",
            ),
        )
        permissions = (("publish_structure", "Peut relire, publier et archiver les structures"),)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("support:structure", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.state == State.PUBLISHED

    def date_maj(self) -> datetime.date:
        """data·inclusion's `date_maj`: the last review, else the last change."""
        return self.last_reviewed or timezone.localdate(self.updated_at)


class Service(models.Model):
    """What a structure offers: to whom, for which needs and stages, where, and how to reach it."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    position = models.PositiveSmallIntegerField(default=0)
    import_id = models.CharField(_("identifiant d'import"), max_length=200)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"))
    kind = models.CharField(
        _("type de service"), max_length=40, blank=True, choices=inclusion.SERVICE_TYPES.choices()
    )
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    reception_modes = models.JSONField(_("modes d'accueil"), default=list, blank=True)
    mobilisation_modes = models.JSONField(_("modes de mobilisation"), default=list, blank=True)
    mobilisation_url = models.URLField(_("lien de mobilisation"), max_length=500, blank=True)
    fees = models.CharField(_("frais"), max_length=20, blank=True, choices=inclusion.FEES.choices())
    fees_details = models.CharField(_("précisions sur les frais"), max_length=500, blank=True)
    access_conditions = models.TextField(_("conditions d'accès"), blank=True)
    zones = models.JSONField(_("zones couvertes"), default=list)
    support_forms = models.JSONField(_("formes d'accompagnement"), default=list, blank=True)
    innovation_stages = models.JSONField(_("étapes d'innovation"), default=list, blank=True)
    objectives = models.JSONField(_("objectifs"), default=list, blank=True)
    actor_types = models.JSONField(_("types d'acteurs servis"), default=list, blank=True)
    association_employment = models.JSONField(
        _("associations employeuses ou non"), default=list, blank=True
    )
    sizes = models.JSONField(_("tailles d'organisation"), default=list, blank=True)

    class Meta:
        verbose_name = _("service")
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["structure", "import_id"], name="support_unique_service_id"
            ),
        )

    def __str__(self) -> str:
        return self.name


class Coverage(models.Model):
    """One territory of a service: a zone it covers (`zone`), or a territory its zones lie
    within (`within`, so a commune's service appears under its department)."""

    ZONE = "zone"
    WITHIN = "within"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coverage")
    key = models.CharField(max_length=20)
    relation = models.CharField(max_length=6)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["service", "key", "relation"], name="support_unique_coverage"
            ),
        )
        indexes = (models.Index(fields=["key", "relation"], name="support_coverage_key_idx"),)

    def __str__(self) -> str:
        return f"{self.relation} {self.key}"


class ServiceTag(models.Model):
    """One (facet, code) of a service, the table that filters and facet counts read."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=20)
    code = models.CharField(max_length=60)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["service", "facet", "code"], name="support_unique_service_tag"
            ),
        )
        indexes = (models.Index(fields=["facet", "code"], name="support_tag_facet_idx"),)

    def __str__(self) -> str:
        return f"{self.facet}={self.code}"


class CurationEvent(models.Model):
    """Who did what to a structure, and when."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_curation_events",
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


class GapCount(models.Model):
    """How many orientation requests found no local door, per month, department, actor type and
    need: an aggregate only (no request, commune or person is stored)."""

    month = models.CharField(max_length=7)  # "2026-12"
    department = models.CharField(max_length=3)
    actor_type = models.CharField(max_length=40)
    need = models.CharField(max_length=40, blank=True)  # a support form, or "" for no stated need
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("zone blanche constatée")
        verbose_name_plural = _("zones blanches constatées")
        constraints = (
            models.UniqueConstraint(
                fields=["month", "department", "actor_type", "need"], name="support_unique_gap"
            ),
        )

    def __str__(self) -> str:
        return f"{self.month} {self.department} {self.actor_type} {self.need}: {self.count}"
