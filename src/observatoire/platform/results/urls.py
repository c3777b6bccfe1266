from django.urls import path

from observatoire.platform.results import views

app_name = "results"
urlpatterns = [
    path("", views.overview, name="index"),
    path("regards-croises/", views.regards, name="crossreading"),
    path("<slug:study>/", views.overview, name="study"),
    path("<slug:study>/regions/<str:code>/", views.region, name="region"),
    path("<slug:study>/cartes/", views.maps, name="maps"),
    path("<slug:study>/comparer/", views.compare, name="compare"),
    path("<slug:study>/documents/<path:path>", views.document, name="document"),
    path("<slug:study>/graphiques/<slug:kind>.<slug:fmt>", views.chart, name="chart"),
]
