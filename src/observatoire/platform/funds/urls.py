from __future__ import annotations

from django.urls import path

from observatoire.platform.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<slug:slug>/", views.instrument_detail, name="instrument"),
    path("<slug:slug>/", views.fund_detail, name="detail"),
    path("<slug:slug>/soutiens/nouveau/", views.support_create, name="support-create"),
    path("<slug:slug>/soutiens/<slug:key>/", views.support_detail, name="support"),
    path("<slug:slug>/soutiens/<slug:key>/modifier/", views.support_edit, name="support-edit"),
    path(
        "<slug:slug>/soutiens/<slug:key>/statut/", views.support_transition, name="support-status"
    ),
]
