from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "observatoire.platform.results"
    label = "results"
    verbose_name = "Résultats des études"
