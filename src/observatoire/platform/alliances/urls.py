from __future__ import annotations

from django.urls import path

from observatoire.platform.alliances import views

app_name = "alliances"
urlpatterns = [
    path("", views.alliance_list, name="list"),
    path("carte/", views.alliance_map, name="map"),
    path("proposer/", views.alliance_create, name="create"),
    path("mes-fiches/", views.my_alliances, name="mine"),
    path("export/alliances.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/", views.alliance_detail, name="detail"),
    path("<slug:slug>/modifier/", views.alliance_edit, name="edit"),
    path("<slug:slug>/etat/", views.alliance_transition, name="transition"),
]
