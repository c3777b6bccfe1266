"""The Django admin for curators: structures with their services and history, curation actions,
and the counts of requests without a local door (read only).

The admin edits the list fields as JSON; every form goes through `validation`, like any entry.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from observatoire.errors import InputError
from observatoire.platform import curation
from observatoire.platform.support import indexing, records, workflow
from observatoire.platform.support.models import CurationEvent, GapCount, Service, Structure
from observatoire.platform.support.validation import (
    SERVICE_FIELDS,
    STRUCTURE_FIELDS,
    clean_service,
    clean_structure,
)


def _report(form: forms.ModelForm, exc: InputError) -> None:
    name = (exc.field or "").split("[")[0]
    form.add_error(name if name in form.fields else None, exc.message)


class ServiceAdminForm(forms.ModelForm):
    mobilisation_url = forms.URLField(
        label=_("lien de mobilisation"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Service
        fields = "__all__"  # noqa: DJ007 (the inline decides what shows)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        data = {k: cleaned[k] for k in SERVICE_FIELDS if k in cleaned}
        try:
            service = clean_service(data)
        except InputError as exc:
            _report(self, exc)
        else:
            cleaned["zones"] = service.zones  # normalised references
        return cleaned


class ServiceInline(admin.StackedInline):
    model = Service
    form = ServiceAdminForm
    extra = 0


class HistoryInline(curation.HistoryInline):
    model = CurationEvent


class StructureAdminForm(forms.ModelForm):
    website = forms.URLField(
        label=_("site web"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Structure
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets decide what shows)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        data = {k: cleaned[k] for k in STRUCTURE_FIELDS if k in cleaned}
        try:
            structure = clean_structure(data)
        except InputError as exc:
            _report(self, exc)
        else:
            cleaned["commune"] = structure.commune  # the current code of a former one
        return cleaned


@admin.register(Structure)
class StructureAdmin(curation.CuratedAdmin):
    policy = workflow.POLICY
    curator_fields = ("owner", "is_fictitious")
    form = StructureAdminForm
    list_display = ("name", "structure_type", "state", "is_fictitious", "source_name", "updated_at")
    list_filter = ("state", "structure_type", "is_fictitious", "source_name")
    search_fields = ("name", "description", "import_id", "slug")
    readonly_fields = (
        "state",
        "created_at",
        "updated_at",
        "published_at",
        "imported_at",
        "raw_record",
    )
    inlines = (ServiceInline, HistoryInline)
    actions = (
        curation.admin_action(workflow.apply, "publish", _("Publier")),
        curation.admin_action(workflow.apply, "reject", _("Renvoyer en brouillon")),
        curation.admin_action(workflow.apply, "archive", _("Archiver")),
    )

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {"slug": ("name",)}

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        indexing.reindex(form.instance.services.all())
        records.record(form.instance, request.user, "edit" if change else "create", "admin")


@admin.register(GapCount)
class GapCountAdmin(admin.ModelAdmin):
    list_display = ("month", "department", "actor_type", "need", "count")
    list_filter = ("month", "actor_type", "need")
    search_fields = ("department",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
