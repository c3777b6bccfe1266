"""Pages of one alliance's scorecard (under its fiche) and of the platform's scorecards."""

from __future__ import annotations

from django.urls import path

from observatoire.platform.scorecards import views

app_name = "scorecards"
ALLIANCE = "alliances/<slug:slug>/tableau-de-bord/"
urlpatterns = [
    path("tableaux-de-bord/", views.rollup_view, name="rollup"),
    path("tableaux-de-bord/sante-des-partenariats/", views.health_aggregates_view,
         name="health_aggregates"),
    path(ALLIANCE, views.board_view, name="board"),
    path(ALLIANCE + "creer/", views.create_view, name="create"),
    path(ALLIANCE + "flux/", views.flow_view, name="flow"),
    path(ALLIANCE + "indicateurs/<slug:code>/", views.indicator_view, name="indicator"),
    path(ALLIANCE + "indicateurs/<slug:code>/graphique.svg", views.indicator_chart,
         name="indicator_chart"),
    path(ALLIANCE + "mesures/", views.measurements_view, name="measurements"),
    path(ALLIANCE + "mesures.<str:fmt>", views.export_view, name="export"),
    path(ALLIANCE + "parametres/", views.settings_view, name="settings"),
    path(ALLIANCE + "enjeux/proposes/", views.adopt_stake, name="adopt_stake"),
    path(ALLIANCE + "historique/", views.history_view, name="history"),
    path(ALLIANCE + "acces/", views.access_view, name="access"),
    path(ALLIANCE + "sante/", views.health_view, name="health"),
    path(ALLIANCE + "sante/ouvrir/", views.health_open, name="health_open"),
    path(ALLIANCE + "<str:kind>/ajouter/", views.item_view, name="item_add"),
    path(ALLIANCE + "<str:kind>/<int:pk>/", views.item_view, name="item_edit"),
    path(ALLIANCE + "<str:kind>/<int:pk>/supprimer/", views.item_delete, name="item_delete"),
]  # fmt: skip
