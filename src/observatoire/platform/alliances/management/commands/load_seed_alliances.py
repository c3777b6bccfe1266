from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from observatoire.errors import InputError
from observatoire.platform.alliances.content import load_seed


class Command(BaseCommand):
    help = "Load (or refresh) the seed fiches shipped with the project, published."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = load_seed()
        except InputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{count} seed fiche(s) loaded")
