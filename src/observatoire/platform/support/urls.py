from django.urls import path

from observatoire.platform.support import views

app_name = "support"
urlpatterns = [
    path("", views.directory_list, name="list"),
    path("la-bonne-porte/", views.orientation_page, name="orientation"),
    path("carte/", views.coverage_map, name="map"),
    path("export/<str:name>", views.export, name="export"),
    path("<slug:slug>/", views.structure_detail, name="structure"),
    path("<slug:slug>/curation/", views.structure_transition, name="transition"),
]
