from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "observatoire.platform.home"
    label = "home"
    verbose_name = "Accueil"
