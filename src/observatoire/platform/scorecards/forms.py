"""The editing forms of a scorecard: which fields each kind of row has, and its current values.

Forms are plain HTML built from these specs; what is posted goes through `validation` like any
other way in, so the rules live in one place. Each `Kind` knows how to validate and save a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire import vocabularies as v
from observatoire.platform.scorecards import catalogue, records, validation
from observatoire.platform.scorecards.models import (
    Asset,
    Indicator,
    Pathway,
    Scorecard,
    Stake,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Field:
    name: str
    label: StrOrPromise
    widget: str = "text"  # text, textarea, select, multi, number, date, checkbox
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    help: StrOrPromise = ""
    limit: int = 0  # maximum length, shown and enforced by the browser (the server checks too)


def _choices(
    vocabulary: v.Vocabulary, language: str, blank: bool = True
) -> tuple[tuple[str, str], ...]:
    return (("", "—"),) * blank + tuple(vocabulary.choices(language))


def _text(name: str, label: StrOrPromise, required: bool = False, widget: str = "text",
          help: StrOrPromise = "") -> Field:  # fmt: skip
    return Field(name, label, widget, required=required, help=help,
                 limit=validation.LIMITS.get(name, 200))  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """One kind of row of a scorecard: its URL word, model, form fields and how to save it."""

    slug: str
    model: type[models.Model]
    title: StrOrPromise
    fields: Callable[[Scorecard, str], list[Field]]
    initial: Callable[[Any], dict[str, Any]]
    save: Callable[[Scorecard, dict[str, Any], Any, Any], models.Model]


def _asset_fields(scorecard: Scorecard, language: str) -> list[Field]:
    partners = tuple((p, p) for p in scorecard.alliance.partners.values_list("name", flat=True))
    return [
        Field("kind", _("Type d'actif"), "select", _choices(v.ASSET_KINDS, language), True,
              _("Le pilier (richesses humaines, ressources financières, capacité d'alliances) "
                "s'en déduit.")),
        _text("description", _("Description"), required=True),
        Field("partner", _("Partenaire qui l'apporte"), "select", (("", "—"), *partners)),
        Field("quantity", _("Quantité"), "number"),
        Field("unit", _("Unité"), "select", _choices(v.UNITS, language)),
        Field("value_eur", _("Valorisation (€)"), "number",
              help=_("Facultatif ; si vous la donnez, dites comment elle a été obtenue.")),
        _text("valuation_method", _("Méthode de valorisation")),
        _text("source", _("Source")),
    ]  # fmt: skip


def _asset_initial(asset: Asset) -> dict[str, Any]:
    data = {name: getattr(asset, name) for name in validation.ASSET_FIELDS if name != "partner"}
    data["partner"] = asset.partner.name if asset.partner else ""
    return data


def _save_asset(scorecard: Scorecard, data: dict[str, Any], actor: Any, asset: Any) -> Asset:
    partners = scorecard.alliance.partners.values_list("name", flat=True)
    return records.save_asset(scorecard, validation.clean_asset(data, partners), actor, asset)


def _stake_fields(scorecard: Scorecard, language: str) -> list[Field]:
    territories = tuple((ref, ref) for ref in scorecard.alliance.territories)
    return [
        _text("statement", _("Énoncé de l'enjeu"), required=True),
        Field("fragility", _("Fragilité"), "select", _choices(v.FRAGILITIES, language)),
        Field("sdg_target", _("Cible ODD"), help=_("Par exemple 4.1 ou 17.17."), limit=6),
        Field("territory", _("Territoire"), "select", territories, True),
        _text("source", _("Source")),
    ]


def _stake_initial(stake: Stake) -> dict[str, Any]:
    return {name: getattr(stake, name) for name in validation.STAKE_FIELDS if name != "evidence"}


def _save_stake(scorecard: Scorecard, data: dict[str, Any], actor: Any, stake: Any) -> Stake:
    if stake is not None and stake.evidence is not None:
        data = {**data, "evidence": stake.evidence}
    return records.save_stake(scorecard, validation.clean_stake(data), actor, stake)


def _pathway_fields(scorecard: Scorecard, language: str) -> list[Field]:
    assets = tuple((str(a.pk), a.description) for a in scorecard.assets.all())
    stakes = tuple((str(s.pk), s.statement) for s in scorecard.stakes.all())
    return [
        Field("asset", _("Actif"), "select", assets, True),
        Field("objective", _("Par l'objectif"), "select", _choices(v.OBJECTIVES, language), True),
        Field("stake", _("Sert l'enjeu"), "select", stakes, True),
        Field("expected_impacts", _("Impacts attendus"), "multi",
              tuple(v.IMPACTS.choices(language)), True),
        _text("hypothesis", _("Hypothèse"), widget="textarea",
              help=_("Pourquoi cet actif sert cet enjeu.")),
    ]  # fmt: skip


def _pathway_initial(pathway: Pathway) -> dict[str, Any]:
    return {"asset": str(pathway.asset_id), "stake": str(pathway.stake_id),
            "objective": pathway.objective, "expected_impacts": pathway.expected_impacts,
            "hypothesis": pathway.hypothesis}  # fmt: skip


def _row(scorecard: Scorecard, model: type[models.Model], name: str, value: Any) -> Any:
    found = (
        model._default_manager.filter(scorecard=scorecard, pk=value).first()
        if str(value or "").isdigit()
        else None
    )
    if found is None:
        raise validation.InputError("choose one of the list", field=name)
    return found


def _save_pathway(scorecard: Scorecard, data: dict[str, Any], actor: Any, pathway: Any) -> Pathway:
    asset = _row(scorecard, Asset, "asset", data.get("asset"))
    stake = _row(scorecard, Stake, "stake", data.get("stake"))
    return records.save_pathway(scorecard, asset, stake, validation.clean_pathway(data), actor,
                                pathway)  # fmt: skip


def _indicator_fields(scorecard: Scorecard, language: str) -> list[Field]:
    stakes = tuple((str(i), s.statement) for i, s in enumerate(scorecard.stakes.all(), start=1))
    common = tuple(
        (c.code, v.COMMON_INDICATORS[c.code].label(language)) for c in catalogue.COMMON_CORE
    )
    english = language.startswith("en")
    breakdowns = (
        ("", "—"),
        *(
            (name, vocab.en if english else vocab.fr)
            for name, vocab in catalogue.BREAKDOWNS.items()
        ),
    )
    return [
        Field("code", _("Code"), required=True, limit=60,
              help=_("Un code du socle commun (%(codes)s) reprend sa définition partagée ; "
                     "sinon, un code de votre choix (lettres minuscules, chiffres, tirets).")
              % {"codes": ", ".join(code for code, _label in common)}),
        _text("name", _("Nom (indicateur spécifique)")),
        _text("definition", _("Définition"), widget="textarea"),
        Field("perspective", _("Perspective"), "select",
              _choices(v.SCORECARD_PERSPECTIVES, language)),
        Field("level", _("Niveau"), "select", _choices(v.INDICATOR_LEVELS, language)),
        Field("unit", _("Unité"), "select", _choices(v.UNITS, language)),
        Field("temporality", _("Temporalité"), "select",
              (("flux", str(_("Flux sur la période"))), ("stock", str(_("Stock à une date"))))),
        Field("direction", _("Sens"), "select",
              (("hausse", str(_("Plus c'est haut, mieux c'est"))),
               ("baisse", str(_("Plus c'est bas, mieux c'est"))))),
        Field("breakdown", _("Ventilation"), "select", breakdowns),
        Field("impact", _("Impact"), "select", _choices(v.IMPACTS, language)),
        Field("objective", _("Objectif"), "select", _choices(v.OBJECTIVES, language)),
        Field("stake", _("Enjeu"), "select", (("", "—"), *stakes)),
        _text("reference", _("Référence (IRIS+, VALOR'ESS…)")),
        Field("baseline", _("Valeur de référence"), "number"),
        Field("baseline_date", _("Date de la valeur de référence"), "date"),
        Field("target", _("Cible"), "number"),
        Field("target_date", _("Échéance de la cible"), "date"),
        _text("source", _("Source des mesures")),
        _text("skipped_reason", _("Non suivi, parce que"),
              help=_("Pour le socle commun : dites pourquoi l'alliance ne le suit pas.")),
        Field("is_public", _("Publié (visible du public si le tableau de bord l'est)"),
              "checkbox"),
    ]  # fmt: skip


def _indicator_initial(indicator: Indicator) -> dict[str, Any]:
    data = {
        name: getattr(indicator, name) for name in validation.INDICATOR_FIELDS if name != "stake"
    }
    stakes = list(indicator.scorecard.stakes.values_list("pk", flat=True))
    data["stake"] = (
        str(stakes.index(indicator.stake_id) + 1) if indicator.stake_id in stakes else ""
    )
    return data


def _save_indicator(
    scorecard: Scorecard, data: dict[str, Any], actor: Any, indicator: Any
) -> Indicator:
    data = {**data, "is_public": data.get("is_public") or "non"}
    return records.save_indicator(scorecard, validation.clean_indicator(data), actor, indicator)


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind("actifs", Asset, _("un actif"), _asset_fields, _asset_initial, _save_asset),
        Kind("enjeux", Stake, _("un enjeu"), _stake_fields, _stake_initial, _save_stake),
        Kind("liens", Pathway, _("un lien actif → enjeu"), _pathway_fields, _pathway_initial,
             _save_pathway),
        Kind("indicateurs", Indicator, _("un indicateur"), _indicator_fields, _indicator_initial,
             _save_indicator),
    )
}  # fmt: skip
