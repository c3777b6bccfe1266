from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from observatoire.errors import InputError
from observatoire.platform.alliances.importers import import_file


class Command(BaseCommand):
    help = (
        "Import fiches (drafts) from a CSV or JSON file; all rows are checked before any is saved."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="Source name (keys re-imports).")
        parser.add_argument("--dry-run", action="store_true", help="Report only, save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_file(options["file"], options["source"], dry_run=options["dry_run"])
        except InputError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"{len(report.errors)} bad row(s): nothing was saved")
