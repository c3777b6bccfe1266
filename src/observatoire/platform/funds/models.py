"""Funds, their strands, the supports they give to alliances, evaluations, funding instruments.

A support is one form of support (among the seven of `vocabularies.SUPPORT_FORMS`) given by a
fund to one beneficiary, so that counts by form, region and objective add up without double
counting. Only direct funding carries an amount. When a source does not say whether an amount is
part of another one (the Fonds ODD 17's 3 k€ and 10 k€ at Paris Est Marne & Bois), the support
points to the one that may include it (`may_be_included_in`) and totals become a range.

Every model keeps its history (django-simple-history): who changed what, when, with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire import vocabularies

DIRECT_FUNDING = "financement-direct"


class SupportStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandé")
    GRANTED = "granted", _("Accordé")
    PAID = "paid", _("Versé")
    CLOSED = "closed", _("Clos")


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in-progress", _("En cours")
    DONE = "done", _("Terminée")


class Availability(models.TextChoices):
    OPEN = "open", _("Ouvert")
    CLOSED = "closed", _("Fermé")
    UNKNOWN = "unknown", _("À vérifier")


class Fund(models.Model):
    """A fund that supports alliances; its managers record and edit its supports."""

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    summary = models.TextField(_("résumé"))
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    founders = models.JSONField(_("fondateurs"), default=list, blank=True)
    created_year = models.PositiveSmallIntegerField(_("année de création"), null=True, blank=True)
    endowment_eur = models.DecimalField(
        _("dotation (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(_("durée (mois)"), null=True, blank=True)
    url = models.URLField(_("site"), max_length=500, blank=True)
    fiche = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("fiche de la base"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sources = models.JSONField(_("sources"), default=list, blank=True)
    published = models.BooleanField(_("publié"), default=False)
    is_synthetic = models.BooleanField(_("synthétique"), default=False)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestionnaires"),
        blank=True,
        related_name="managed_funds",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[managers])

    class Meta:
        verbose_name = _("fonds")
        verbose_name_plural = _("fonds")
        ordering = ("name",)
        permissions = (("see_all_funds", "Peut voir tous les fonds, demandes et évaluations"),)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:detail", args=[self.slug])


class Strand(models.Model):
    """A strand (« volet ») of a fund's investment."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="strands")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volet")
        ordering = ("fund", "position", "id")
        constraints = (
            models.UniqueConstraint(fields=["fund", "code"], name="funds_unique_strand_code"),
        )

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """One form of support given (or requested) by a fund to one beneficiary."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="supports")
    key = models.SlugField(_("clé"), max_length=120)
    strand = models.ForeignKey(
        Strand,
        verbose_name=_("volet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supports",
    )
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance soutenue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_supports",
    )
    beneficiary = models.CharField(_("bénéficiaire"), max_length=200)
    territory = models.CharField(_("territoire (code INSEE)"), max_length=20)
    form = models.CharField(
        _("forme de soutien"), max_length=40, choices=vocabularies.SUPPORT_FORMS.choices()
    )
    description = models.TextField(_("ce qui est apporté"))
    amount_eur = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    may_be_included_in = models.ForeignKey(
        "self",
        verbose_name=_("montant peut-être compris dans"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possibly_included",
    )
    amount_note = models.TextField(_("note sur le montant"), blank=True)
    objective = models.CharField(
        _("objectif"), max_length=40, blank=True, choices=vocabularies.OBJECTIVES.choices()
    )
    maturity_at_start = models.CharField(
        _("maturité au départ"),
        max_length=40,
        blank=True,
        choices=vocabularies.INNOVATION_STAGES.choices(),
    )
    start = models.CharField(_("début"), max_length=10, blank=True)
    end = models.CharField(_("fin"), max_length=10, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=SupportStatus.choices,
        default=SupportStatus.REQUESTED,
        db_index=True,
    )
    published = models.BooleanField(_("publié"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("soutien")
        ordering = ("fund", "start", "id")
        constraints = (
            models.UniqueConstraint(fields=["fund", "key"], name="funds_unique_support_key"),
        )

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.beneficiary}"

    @property
    def is_financial(self) -> bool:
        return self.form == DIRECT_FUNDING


class Evaluation(models.Model):
    """The evaluation of a fund, or of its supports to one alliance: outputs, outcomes, leverage,
    lessons. Outputs and outcomes are lists of {label, value, source}; lessons of {text, source}.
    The leverage is `mobilised_eur` against the fund's money in what is evaluated, both shown.
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="evaluations")
    key = models.SlugField(_("clé"), max_length=120)
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance évaluée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_evaluations",
    )
    title = models.CharField(_("titre"), max_length=200)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
    )
    date = models.CharField(_("date"), max_length=10, blank=True)
    method = models.TextField(_("méthode"), blank=True)
    outputs = models.JSONField(_("réalisations"), default=list, blank=True)
    outcomes = models.JSONField(_("résultats"), default=list, blank=True)
    mobilised_eur = models.DecimalField(
        _("ressources mobilisées (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    leverage_basis = models.TextField(_("base de l'effet de levier"), blank=True)
    lessons = models.JSONField(_("enseignements"), default=list, blank=True)
    published = models.BooleanField(_("publiée"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation")
        ordering = ("fund", "date", "id")
        constraints = (
            models.UniqueConstraint(fields=["fund", "key"], name="funds_unique_evaluation_key"),
        )

    def __str__(self) -> str:
        return self.title


class Instrument(models.Model):
    """A funding instrument as the orientation reads it: who, at which stage, for what, where.

    `eligibility` is a list of rules as data (see `instruments.RULE_CRITERIA`), each with its
    French label and its source, so a visitor sees why an instrument is proposed and what to check.
    """

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    operator = models.CharField(_("opérateur"), max_length=300)
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fonds"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instruments",
    )
    kinds = models.JSONField(_("types"), default=list)
    summary = models.TextField(_("résumé"))
    description = models.TextField(_("description"), blank=True)
    actor_types = models.JSONField(_("publics visés"), default=list, blank=True)
    stages = models.JSONField(_("étapes"), default=list, blank=True)
    support_forms = models.JSONField(_("formes de soutien"), default=list, blank=True)
    territories = models.JSONField(_("territoires"), default=list, blank=True)
    eligibility = models.JSONField(_("règles d'éligibilité"), default=list, blank=True)
    availability = models.CharField(
        _("disponibilité"),
        max_length=10,
        choices=Availability.choices,
        default=Availability.UNKNOWN,
    )
    url = models.URLField(_("site"), max_length=500, blank=True)
    fiche = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("fiche de la base"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sources = models.JSONField(_("sources"), default=list, blank=True)
    last_checked = models.DateField(_("dernière vérification"), null=True, blank=True)
    published = models.BooleanField(_("publié"), default=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instrument de financement")
        verbose_name_plural = _("instruments de financement")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:instrument", args=[self.slug])


class ContentLoad(models.Model):
    """The digest of the content file last loaded, so `observatoire demo` writes nothing (and no
    history) when the shipped content has not changed since, even if managers edited it."""

    source = models.CharField(max_length=200, unique=True)
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.source
