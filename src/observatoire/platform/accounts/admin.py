"""Users (Django's user admin) and API tokens: issued here (the key is shown once), revoked by an
action, with their last-used date."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire.platform.accounts import tokens
from observatoire.platform.accounts.models import ApiToken, User

admin.site.register(User, UserAdmin)

_RECORD = ("created_at", "last_used_at", "revoked_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "label", *_RECORD)
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "label")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        return ("user", "label") if obj is None else ("user", "label", *_RECORD)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        # A token is never edited: it is issued, used, then revoked.
        return () if obj is None else ("user", "label", *_RECORD)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if not change:
            key, obj.key_hash = tokens.new_key()
            obj._issued_key = key  # type: ignore[attr-defined]  # for response_add, never saved
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The one page that shows the clear key; it is not kept anywhere, nor cached."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "key": obj._issued_key,  # type: ignore[attr-defined]
            "title": _("Jeton d'API émis"),
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Révoquer les jetons sélectionnés"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = tokens.revoke(queryset)
        message = ngettext("%(count)d jeton révoqué.", "%(count)d jetons révoqués.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
