"""The admin for fund managers: their funds, strands, supports, evaluations and instruments.

Managers see and change only the funds they manage (administrators see all); every form is
checked by `validation` and saved by `records`, like any other entry path, so the admin's writes
are history-logged (the "History" button of each record shows them) and follow the same rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from observatoire.errors import InputError
from observatoire.platform.funds import access, records, validation
from observatoire.platform.funds.models import Evaluation, Fund, Instrument, Strand, Support


def _plain(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Form values as the plain data `validation` reads: related records by their natural key."""
    out: dict[str, Any] = {}
    for name, value in cleaned.items():
        if isinstance(value, models.Model):
            value = next(getattr(value, k) for k in ("slug", "key", "code") if hasattr(value, k))
        elif value is None:
            value = ""
        out[name] = value
    return out


class ValidatedForm(forms.ModelForm):
    """A model form whose `clean` is the app's validation; `validated` is what `records` saves."""

    validated: Any = None

    def clean_with(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                self.validated = self.clean_with(_plain(cleaned))
            except InputError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return cleaned


class FundForm(ValidatedForm):
    class Meta:
        model = Fund
        fields = (*validation.FUND_FIELDS, "managers")

    def clean_with(self, data: dict[str, Any]) -> Any:
        data.pop("managers", None)
        if self.instance.pk:
            data["slug"] = self.instance.slug
        return validation.clean_fund(data)


class StrandForm(ValidatedForm):
    class Meta:
        model = Strand
        fields = ("code", "position", "title", "description", "source")

    def clean_with(self, data: dict[str, Any]) -> Any:
        return validation.clean_strand(data, data.get("position") or 0)


def _fund(form: ValidatedForm, data: dict[str, Any]) -> Fund:
    """The fund of the record being added (chosen in the form) or changed (its own)."""
    data.pop("fund", None)
    fund = form.instance.fund if form.instance.pk else form.cleaned_data.get("fund")
    if fund is None:
        raise InputError("is required", field="fund")
    return fund


class SupportForm(ValidatedForm):
    class Meta:
        model = Support
        fields = ("fund", *validation.SUPPORT_FIELDS[1:])  # the key is made from the content

    def clean_with(self, data: dict[str, Any]) -> Any:
        fund = _fund(self, data)
        current = self.instance if self.instance.pk else None
        return validation.clean_support(data, fund, current=current)


class EvaluationForm(ValidatedForm):
    class Meta:
        model = Evaluation
        fields = ("fund", *validation.EVALUATION_FIELDS)

    def clean_with(self, data: dict[str, Any]) -> Any:
        return validation.clean_evaluation(data, _fund(self, data))


class InstrumentForm(ValidatedForm):
    class Meta:
        model = Instrument
        fields = validation.INSTRUMENT_FIELDS

    def clean_with(self, data: dict[str, Any]) -> Any:
        return validation.clean_instrument(data)


class ManagedAdmin(SimpleHistoryAdmin):
    """Lists and writes narrowed to the funds the user manages (all for administrators)."""

    fund_path = "fund__"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.fund_path}managers": request.user.pk}).distinct()

    def _fund_of(self, obj: Any) -> Fund | None:
        return obj if isinstance(obj, Fund) else getattr(obj, "fund", None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        fund = self._fund_of(obj) if obj is not None else None
        return obj is None or (fund is not None and access.manages(request.user, fund))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "fund" and not request.user.is_superuser:
            kwargs["queryset"] = Fund.objects.filter(managers=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StrandInline(admin.TabularInline):
    model = Strand
    form = StrandForm
    extra = 0


@admin.register(Fund)
class FundAdmin(ManagedAdmin):
    form = FundForm
    fund_path = ""
    list_display = ("name", "created_year", "endowment_eur", "published")
    search_fields = ("name", "slug")
    inlines = (StrandInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("slug",) if obj is not None else ()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if request.user.is_superuser else ("managers",)

    def save_model(self, request: HttpRequest, obj: Fund, form: Any, change: bool) -> None:
        if change:
            form.validated.slug = obj.slug
        obj.pk = records.save_fund(form.validated, request.user, "admin")[0].pk


@admin.register(Support)
class SupportAdmin(ManagedAdmin):
    form = SupportForm
    list_display = ("beneficiary", "form", "amount_eur", "status", "published", "fund")
    list_filter = ("fund", "status", "form", "published")
    search_fields = ("beneficiary", "description", "key")
    readonly_fields = ("key",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("key", "fund") if obj is not None else ("key",)

    def save_model(self, request: HttpRequest, obj: Support, form: Any, change: bool) -> None:
        if change:
            records.update_support(Support.objects.get(pk=obj.pk), form.validated, request.user)
        else:
            fund = form.cleaned_data["fund"]
            obj.pk = records.create_support(fund, form.validated, request.user, "admin").pk


@admin.register(Evaluation)
class EvaluationAdmin(ManagedAdmin):
    form = EvaluationForm
    list_display = ("title", "fund", "status", "date", "published")
    list_filter = ("fund", "status")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("fund",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Evaluation, form: Any, change: bool) -> None:
        fund = obj.fund if change else form.cleaned_data["fund"]
        obj.pk = records.save_evaluation(fund, form.validated, request.user, "admin")[0].pk


@admin.register(Instrument)
class InstrumentAdmin(ManagedAdmin):
    form = InstrumentForm
    list_display = ("name", "operator", "availability", "published")
    list_filter = ("availability", "published")
    search_fields = ("name", "operator")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return access.visible_instruments(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not admin.ModelAdmin.has_change_permission(self, request, obj):
            return False
        return obj is None or access.can_edit_instrument(request.user, obj)

    def save_model(self, request: HttpRequest, obj: Instrument, form: Any, change: bool) -> None:
        obj.pk = records.save_instrument(form.validated, request.user, "admin")[0].pk
