from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from observatoire.platform.diagnostic import records


class Command(BaseCommand):
    help = (
        "Erase the diagnostics nobody opened for DAYS days (365 by default): answers are kept "
        "under their link for a year of inactivity, no longer. Run it daily (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--dry-run", action="store_true", help="count, erase nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            self.stderr.write("--days must be 1 or more")
            raise SystemExit(2)
        count = records.purge(days, dry_run=options["dry_run"])
        verb = "would be erased" if options["dry_run"] else "erased"
        self.stdout.write(f"{count} diagnostic(s) unopened for {days} days {verb}")
