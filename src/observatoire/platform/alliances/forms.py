"""The contribution form: plain fields in, `validation.clean_fiche` for the rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire import vocabularies
from observatoire.errors import InputError
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.alliances.validation import KNOWN_FIELDS, FicheData, clean_fiche

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_LINES_HELP = _("Une ligne par élément, champs séparés par « ; ».")


def _choices(vocabulary: vocabularies.Vocabulary) -> Callable[[], list[tuple[str, str]]]:
    """Choices labelled in the language of the request that renders the form."""
    return lambda: vocabulary.choices(get_language() or "fr")


def _multi(vocabulary: vocabularies.Vocabulary, label: StrOrPromise) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=_choices(vocabulary),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _lines(text: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    out = []
    for line in text.splitlines():
        if line.strip():
            parts = [p.strip() for p in line.split(";")]
            out.append({k: v for k, v in zip(keys, parts, strict=False) if v})
    return out


def _unlines(items: list[dict[str, Any]], keys: tuple[str, ...]) -> str:
    return "\n".join(
        " ; ".join(str(item.get(k) or "") for k in keys).rstrip(" ;") for item in items
    )


PARTNER_KEYS = ("name", "actor_type", "size", "role")
SOURCE_KEYS = ("title", "url", "date", "publisher")
TIMELINE_KEYS = ("date", "label")
RESULT_KEYS = ("label", "value", "note")


class FicheForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=300)
    summary = forms.CharField(
        label=_("Résumé (une ou deux phrases)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Description (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    territories = forms.CharField(
        label=_(
            "Territoires (codes INSEE séparés par des espaces : commune, EPCI, département, "
            "région ou FR)"
        )
    )
    partners = forms.CharField(
        label=_("Partenaires"),
        help_text=format_lazy(
            "{} {}",
            _LINES_HELP,
            format_lazy(
                _("Nom ; type d'acteur ; taille ; rôle. Types : {types}. Tailles : {sizes}."),
                types=", ".join(vocabularies.ACTOR_TYPES.codes),
                sizes=", ".join(vocabularies.ORGANISATION_SIZES.codes),
            ),
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    objectives = _multi(vocabularies.OBJECTIVES, _("Objectifs"))
    impacts = _multi(vocabularies.IMPACTS, _("Impacts"))
    partnership_categories = _multi(
        vocabularies.PARTNERSHIP_CATEGORIES, _("Catégories de partenariat")
    )
    fragilities = _multi(vocabularies.FRAGILITIES, _("Fragilités traitées"))
    support_forms = _multi(vocabularies.SUPPORT_FORMS, _("Formes d'accompagnement"))
    innovation_stage = forms.ChoiceField(
        label=_("Étape d'innovation"),
        choices=lambda: [("", "—"), *_choices(vocabularies.INNOVATION_STAGES)()],
        required=False,
    )
    timeline = forms.CharField(
        label=_("Chronologie"),
        help_text=format_lazy(
            "{} {}", _LINES_HELP, _("Date (AAAA, AAAA-MM ou AAAA-MM-JJ) ; événement.")
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    results = forms.CharField(
        label=_("Résultats"),
        help_text=format_lazy("{} {}", _LINES_HELP, _("Indicateur ; valeur ; note.")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sources = forms.CharField(
        label=_("Sources"),
        help_text=format_lazy("{} {}", _LINES_HELP, _("Titre ; URL ; date ; éditeur.")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, instance: Alliance | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        data = {k: v for k, v in cleaned.items() if k in KNOWN_FIELDS}
        data["territories"] = cleaned.get("territories", "").replace(",", " ").split()
        data["partners"] = _lines(cleaned.get("partners", ""), PARTNER_KEYS)
        data["timeline"] = _lines(cleaned.get("timeline", ""), TIMELINE_KEYS)
        data["results"] = _lines(cleaned.get("results", ""), RESULT_KEYS)
        data["sources"] = _lines(cleaned.get("sources", ""), SOURCE_KEYS)
        if self.instance is not None:  # fields the form does not show are kept as they are
            data["licence"] = self.instance.licence
            data["update_frequency_months"] = self.instance.update_frequency_months
            data["last_reviewed"] = self.instance.last_reviewed
        try:
            self.fiche: FicheData = clean_fiche(data)
        except InputError as exc:
            name = (exc.field or "").split("[")[0]
            self.add_error(name if name in self.fields else None, exc.message)
        return cleaned

    @classmethod
    def initial_for(cls, alliance: Alliance) -> dict[str, Any]:
        return {
            "title": alliance.title,
            "summary": alliance.summary,
            "description": alliance.description,
            "territories": " ".join(alliance.territories),
            "partners": _unlines([vars(p) for p in alliance.partners.all()], PARTNER_KEYS),
            "objectives": alliance.objectives,
            "impacts": alliance.impacts,
            "partnership_categories": alliance.partnership_categories,
            "fragilities": alliance.fragilities,
            "support_forms": alliance.support_forms,
            "innovation_stage": alliance.innovation_stage,
            "timeline": _unlines(alliance.timeline, TIMELINE_KEYS),
            "results": _unlines(alliance.results, RESULT_KEYS),
            "sources": _unlines(alliance.sources, SOURCE_KEYS),
        }
