from django.urls import path

from observatoire.platform.home import views

app_name = "home"
urlpatterns = [path("", views.home, name="index")]
