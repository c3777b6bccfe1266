from django.urls import path

from observatoire.platform.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.find, name="find"),
    path("<str:code>/", views.portrait_page, name="portrait"),
    path("<str:code>/imprimer/", views.portrait_page, {"printable": True}, name="print"),
]
