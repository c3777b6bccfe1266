"""The fund managers' form for a support: plain fields in, `validation.clean_support` decides."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances import places
from observatoire.platform.funds import validation
from observatoire.platform.funds.models import DIRECT_FUNDING, Fund, Support, SupportStatus

_FICHE_URL = re.compile(r"/alliances/([a-z0-9-]+)/?(?:[?#].*)?$")


def _vocabulary_choices(vocabulary: vocabularies.Vocabulary) -> Any:
    """Choices labelled in the language of the request that renders the form."""
    return lambda: [("", "—"), *vocabulary.choices(get_language() or "fr")]


class SupportForm(forms.Form):
    form = forms.ChoiceField(
        label=_("Forme de soutien"),
        choices=lambda: vocabularies.SUPPORT_FORMS.choices(get_language() or "fr"),
    )
    beneficiary = forms.CharField(
        label=_("Bénéficiaire"),
        max_length=validation.NAME_MAX,
        required=False,
        help_text=_("Par défaut, le titre de la fiche de l'alliance."),
    )
    alliance = forms.CharField(
        label=_("Alliance soutenue (fiche de la base)"),
        max_length=300,
        required=False,
        help_text=_(
            "L'identifiant ou l'adresse de sa fiche, p. ex. /alliances/club-ess-urgence-etudiante/."
        ),
    )
    territory = forms.CharField(
        label=_("Territoire"),
        max_length=100,
        required=False,
        help_text=_(
            "Code INSEE ou nom de commune ; par défaut, le premier territoire de la fiche."
        ),
    )
    strand = forms.ChoiceField(label=_("Volet"), required=False)
    description = forms.CharField(
        label=_("Ce qui est apporté"),
        max_length=validation.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount_eur = forms.CharField(
        label=_("Montant (€), pour le financement direct seulement"), max_length=30, required=False
    )
    may_be_included_in = forms.ChoiceField(
        label=_("Montant peut-être compris dans"), required=False
    )
    amount_note = forms.CharField(
        label=_("Note sur le montant"),
        max_length=validation.SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    objective = forms.ChoiceField(
        label=_("Objectif"), required=False, choices=_vocabulary_choices(vocabularies.OBJECTIVES)
    )
    maturity_at_start = forms.ChoiceField(
        label=_("Maturité au départ"),
        required=False,
        choices=_vocabulary_choices(vocabularies.INNOVATION_STAGES),
    )
    start = forms.CharField(
        label=_("Début (AAAA, AAAA-MM ou AAAA-MM-JJ)"), max_length=10, required=False
    )
    end = forms.CharField(label=_("Fin"), max_length=10, required=False)
    status = forms.ChoiceField(label=_("Statut"), choices=SupportStatus.choices)
    published = forms.BooleanField(label=_("Publier (visible de tous)"), required=False)
    source = forms.CharField(label=_("Source"), max_length=validation.SOURCE_MAX, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=validation.SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, fund: Fund, support: Support | None = None, **kwargs: Any):
        if support is not None:
            kwargs.setdefault("initial", validation.support_as_data(support))
        super().__init__(*args, **kwargs)
        self.fund, self.support = fund, support
        self.data_out: validation.SupportData | None = None
        strand_field = self.fields["strand"]
        assert isinstance(strand_field, forms.ChoiceField)
        strand_field.choices = [("", "—")] + [(s.code, s.title) for s in fund.strands.all()]
        others = fund.supports.filter(form=DIRECT_FUNDING)
        if support is not None:
            others = others.exclude(pk=support.pk)
            # The status changes through the transitions, which keep who did it and why.
            self.fields["status"].disabled = True
        including = self.fields["may_be_included_in"]
        assert isinstance(including, forms.ChoiceField)
        including.choices = [("", "—")] + [
            (s.key, f"{s.beneficiary} — {s.amount_eur or '?'} €") for s in others
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        data = dict(cleaned)
        match = _FICHE_URL.search(data.get("alliance", ""))
        if match:
            data["alliance"] = match.group(1)
        if data.get("territory"):
            data["territory"] = places.from_visitor(data["territory"])
        if self.support is not None:
            data["key"] = self.support.key
            data["status"] = self.support.status
        try:
            self.data_out = validation.clean_support(data, self.fund, current=self.support)
        except InputError as exc:
            name = exc.field if exc.field in self.fields else None
            self.add_error(name, exc.message)
        return cleaned
