"""The Django admin for curators: fiches with partners and history, curation actions, tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from observatoire.errors import InputError
from observatoire.platform import curation
from observatoire.platform.alliances import workflow
from observatoire.platform.alliances.models import Alliance, CurationEvent, Partner
from observatoire.platform.alliances.search import indexing
from observatoire.platform.alliances.validation import ROW_FIELDS, clean_fiche

if TYPE_CHECKING:
    pass


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 1


class HistoryInline(curation.HistoryInline):
    model = CurationEvent


class AllianceAdminForm(forms.ModelForm):
    """The admin edits the JSON fields as JSON; they go through the same rules as any import."""

    class Meta:
        model = Alliance
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets decide what shows)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        data = {k: cleaned.get(k) for k in ROW_FIELDS if k in cleaned}
        try:
            fiche = clean_fiche(data)
        except InputError as exc:
            name = (exc.field or "").split("[")[0]
            self.add_error(name if name in self.fields else None, exc.message)
        else:
            cleaned["territories"] = fiche.territories  # normalised references
        return cleaned


@admin.register(Alliance)
class AllianceAdmin(curation.CuratedAdmin):
    policy = workflow.POLICY
    form = AllianceAdminForm
    list_display = ("title", "state", "owner", "source_name", "last_reviewed", "updated_at")
    list_filter = ("state", "is_synthetic", "source_name")
    search_fields = ("title", "summary", "import_id", "slug")
    # Synthetic fiches are the benchmarks' (`observatoire alliances synthetic`), never the admin's.
    readonly_fields = (
        "state",
        "is_synthetic",
        "merged_into",
        "created_at",
        "updated_at",
        "published_at",
        "raw_record",
    )
    inlines = (PartnerInline, HistoryInline)
    actions = (
        curation.admin_action(workflow.apply, "publish", _("Publier")),
        curation.admin_action(workflow.apply, "reject", _("Renvoyer en brouillon")),
        curation.admin_action(workflow.apply, "archive", _("Archiver")),
        "merge_into_oldest",
    )

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {"slug": ("title",)}

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(workflow.MERGE)

    @admin.action(
        description=_("Fusionner dans la plus ancienne fiche sélectionnée"), permissions=["merge"]
    )
    def merge_into_oldest(self, request: HttpRequest, queryset: QuerySet[Alliance]) -> None:
        fiches = list(queryset.order_by("created_at", "id"))
        if len(fiches) < 2:
            self.message_user(
                request, gettext("Sélectionnez au moins deux fiches."), messages.WARNING
            )
            return
        for duplicate in fiches[1:]:
            workflow.merge(duplicate, fiches[0], request.user)
        self.message_user(
            request,
            gettext("%(count)s fiche(s) fusionnée(s) dans « %(fiche)s ».")
            % {"count": len(fiches) - 1, "fiche": fiches[0]},
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        indexing.reindex([form.instance])
        workflow.record(form.instance, request.user, "edit" if change else "create", "admin")
