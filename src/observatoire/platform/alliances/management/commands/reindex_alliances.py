from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from observatoire.platform.alliances.search import indexing


class Command(BaseCommand):
    help = "Rebuild the facet and full-text index of every fiche (after a territory data update)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{indexing.reindex_all()} fiche(s) reindexed")
