"""The scorecards in the admin, for curators: every row with its history (django-simple-history).

Writes made here are history-logged like any other; the admin form validates through the
models' field limits, and the pages (through `validation`) remain the way partners edit.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from observatoire.platform.scorecards.models import (
    Asset,
    HealthCheck,
    HealthResponse,
    Indicator,
    Measurement,
    PartnerRepresentative,
    Pathway,
    Scorecard,
    Stake,
)


@admin.register(Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ("alliance", "visibility", "updated_at")
    list_filter = ("visibility",)
    search_fields = ("alliance__title",)
    raw_id_fields = ("alliance",)


@admin.register(PartnerRepresentative)
class PartnerRepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ("user", "partner", "alliance", "granted_at", "granted_by")
    search_fields = ("user__username", "partner__name", "alliance__title")
    raw_id_fields = ("alliance", "partner", "user", "granted_by")


@admin.register(Asset, Stake, Pathway)
class ScorecardRowAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "scorecard")
    search_fields = ("scorecard__alliance__title",)
    raw_id_fields = ("scorecard",)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "scorecard", "unit", "is_public")
    list_filter = ("is_common", "perspective", "level", "is_public")
    search_fields = ("name", "code", "scorecard__alliance__title")
    raw_id_fields = ("scorecard", "stake")


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "date", "breakdown_code", "value", "confidence", "scorecard")
    list_filter = ("confidence",)
    search_fields = ("indicator__name", "scorecard__alliance__title")
    raw_id_fields = ("scorecard", "indicator", "entered_by")


@admin.register(HealthCheck)
class HealthCheckAdmin(SimpleHistoryAdmin):
    list_display = ("title", "scorecard", "opened_on")
    raw_id_fields = ("scorecard", "opened_by")


@admin.register(HealthResponse)
class HealthResponseAdmin(SimpleHistoryAdmin):
    list_display = ("check_round", "partner", "answered_at", "answered_by")
    raw_id_fields = ("check_round", "partner", "answered_by")
