"""The balanced scorecard of an alliance and its partnership health checks.

A scorecard belongs to one alliance fiche. Its partners (the fiche's `Partner` rows) bring assets
(by pillar); the alliance serves stakes (fragilities, SDG targets of a territory); pathways link an
asset to a stake through an objective with expected impacts; indicators (common core or specific)
carry dated measurements. Who acts for which partner is a `PartnerRepresentative`. Every model
keeps its history (django-simple-history): who changed what, when, and the values before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire import vocabularies as v

VALUE: dict[str, Any] = {
    "max_digits": 18,
    "decimal_places": 4,
}  # up to a thousand billion, to 1/10,000


class Visibility(models.TextChoices):
    PARTNERS = "partners", _("Partenaires de l'alliance seulement")
    PUBLIC = "public", _("Public")


class Temporality(models.TextChoices):
    FLOW = "flux", _("Flux sur la période (s'additionne dans le temps)")
    STOCK = "stock", _("Stock à une date (la dernière valeur compte)")


class Direction(models.TextChoices):
    UP = "hausse", _("Plus c'est haut, mieux c'est")
    DOWN = "baisse", _("Plus c'est bas, mieux c'est")


class Scorecard(models.Model):
    """The scorecard of one alliance; partners choose whether the public may read it."""

    alliance = models.OneToOneField(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="scorecard"
    )
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tableau de bord")
        verbose_name_plural = _("tableaux de bord")
        ordering = ("alliance__title",)
        permissions = (
            ("curate_scorecard", "Peut voir et modifier tous les tableaux de bord et bilans"),
        )

    def __str__(self) -> str:
        return str(self.alliance)


class PartnerRepresentative(models.Model):
    """A user who acts for one partner of one alliance (edits its scorecard, answers for it)."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="representatives"
    )
    partner = models.ForeignKey(
        "alliances.Partner", on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_mandates"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("représentant d'un partenaire")
        verbose_name_plural = _("représentants des partenaires")
        constraints = (
            # One person speaks for one partner of a given alliance.
            models.UniqueConstraint(
                fields=["alliance", "user"], name="scorecards_one_partner_per_user"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} — {self.partner}"


class Asset(models.Model):
    """What a partner brings: kind (hence pillar), quantity and unit, optional € valuation."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="assets")
    position = models.PositiveSmallIntegerField(default=0)
    pillar = models.CharField(_("pilier"), max_length=30, choices=v.PILLARS.choices())
    kind = models.CharField(_("type d'actif"), max_length=30, choices=v.ASSET_KINDS.choices())
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantité"), null=True, blank=True, **VALUE)
    unit = models.CharField(_("unité"), max_length=20, blank=True, choices=v.UNITS.choices())
    value_eur = models.DecimalField(_("valorisation (€)"), null=True, blank=True, **VALUE)
    valuation_method = models.CharField(_("méthode de valorisation"), max_length=300, blank=True)
    partner = models.ForeignKey(
        "alliances.Partner",
        verbose_name=_("partenaire contributeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actif")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.description


class Stake(models.Model):
    """A common stake of the alliance: a fragility and/or an SDG target of a territory."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="stakes")
    position = models.PositiveSmallIntegerField(default=0)
    statement = models.CharField(_("énoncé"), max_length=500)
    fragility = models.CharField(
        _("fragilité"), max_length=40, blank=True, choices=v.FRAGILITIES.choices()
    )
    sdg_target = models.CharField(_("cible ODD"), max_length=6, blank=True)
    territory = models.CharField(_("territoire"), max_length=20)
    evidence = models.JSONField(_("d'après les résultats publiés"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enjeu")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.statement


class Pathway(models.Model):
    """An arrow of the strategy map: an asset serves a stake through an objective."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="pathways")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="pathways")
    stake = models.ForeignKey(Stake, on_delete=models.CASCADE, related_name="pathways")
    objective = models.CharField(_("objectif"), max_length=40, choices=v.OBJECTIVES.choices())
    expected_impacts = models.JSONField(_("impacts attendus"), default=list)
    hypothesis = models.CharField(_("hypothèse"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lien actif → enjeu")
        verbose_name_plural = _("liens actifs → enjeux")
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(
                fields=["asset", "stake", "objective"], name="scorecards_unique_pathway"
            ),
        )

    def __str__(self) -> str:
        return f"{self.asset} → {self.stake}"


class Indicator(models.Model):
    """An indicator of the scorecard: one of the common core (`code` from the vocabulary) or
    specific to the alliance, with its level, unit, baseline, target and how to read it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=60)
    is_common = models.BooleanField(_("socle commun"), default=False)
    name = models.CharField(_("nom"), max_length=200)
    definition = models.CharField(_("définition"), max_length=1000, blank=True)
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=v.SCORECARD_PERSPECTIVES.choices()
    )
    level = models.CharField(_("niveau"), max_length=20, choices=v.INDICATOR_LEVELS.choices())
    unit = models.CharField(_("unité"), max_length=20, choices=v.UNITS.choices())
    temporality = models.CharField(
        _("temporalité"), max_length=10, choices=Temporality.choices, default=Temporality.FLOW
    )
    direction = models.CharField(
        _("sens"), max_length=10, choices=Direction.choices, default=Direction.UP
    )
    breakdown = models.CharField(_("ventilation"), max_length=30, blank=True)
    impact = models.CharField(_("impact"), max_length=20, blank=True, choices=v.IMPACTS.choices())
    objective = models.CharField(
        _("objectif"), max_length=40, blank=True, choices=v.OBJECTIVES.choices()
    )
    stake = models.ForeignKey(
        Stake,
        verbose_name=_("enjeu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    reference = models.CharField(_("référence (IRIS+, VALOR'ESS…)"), max_length=60, blank=True)
    baseline = models.DecimalField(_("valeur de référence"), null=True, blank=True, **VALUE)
    baseline_date = models.DateField(_("date de référence"), null=True, blank=True)
    target = models.DecimalField(_("cible"), null=True, blank=True, **VALUE)
    target_date = models.DateField(_("échéance de la cible"), null=True, blank=True)
    source = models.CharField(_("source des mesures"), max_length=500, blank=True)
    skipped_reason = models.CharField(_("non suivi, parce que"), max_length=300, blank=True)
    is_public = models.BooleanField(_("publié"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur")
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["scorecard", "code"], name="scorecards_unique_indicator_code"
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def tracked(self) -> bool:
        return not self.skipped_reason


class Measurement(models.Model):
    """A dated value of an indicator (for a period ending on `date`, or at `date` for a stock)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="measurements")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(_("début de période"), null=True, blank=True)
    date = models.DateField(_("date"))
    breakdown_code = models.CharField(_("ventilation"), max_length=40, blank=True)
    value = models.DecimalField(_("valeur"), **VALUE)
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("lien vers la source"), max_length=500, blank=True)
    confidence = models.CharField(
        _("fiabilité"), max_length=20, choices=v.CONFIDENCE_LEVELS.choices()
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure")
        ordering = ("indicator", "date", "breakdown_code")
        constraints = (
            models.UniqueConstraint(
                fields=["indicator", "date", "breakdown_code"], name="scorecards_unique_measurement"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=models.F("date")),
                name="scorecards_period_in_order",
            ),
        )

    def __str__(self) -> str:
        return f"{self.indicator} {self.date}: {self.value}"


class HealthCheck(models.Model):
    """A round of the partnership health check: every partner answers the same questionnaire."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="health_checks")
    title = models.CharField(_("intitulé"), max_length=100)
    opened_on = models.DateField(_("ouvert le"), default=timezone.localdate)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bilan de santé du partenariat")
        verbose_name_plural = _("bilans de santé des partenariats")
        ordering = ("-opened_on", "-id")

    def __str__(self) -> str:
        return self.title


class HealthResponse(models.Model):
    """One partner's answers to one round (given by one of its representatives)."""

    check_round = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="responses")
    partner = models.ForeignKey(
        "alliances.Partner", on_delete=models.CASCADE, related_name="health_responses"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réponse au bilan de santé")
        constraints = (
            models.UniqueConstraint(
                fields=["check_round", "partner"], name="scorecards_one_response_per_partner"
            ),
        )

    def __str__(self) -> str:
        return f"{self.check_round} — {self.partner}"


class HealthAnswer(models.Model):
    """A rating from 1 (strongly disagree) to 5 (strongly agree) of one item, with a comment."""

    response = models.ForeignKey(HealthResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(_("question"), max_length=20, choices=v.HEALTH_ITEMS.choices())
    rating = models.PositiveSmallIntegerField(_("note"))
    comment = models.CharField(_("commentaire"), max_length=1000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réponse à une question")
        constraints = (
            models.UniqueConstraint(fields=["response", "item"], name="scorecards_one_answer"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="scorecards_rating_1_to_5"
            ),
        )

    def __str__(self) -> str:
        return f"{self.item}: {self.rating}"
