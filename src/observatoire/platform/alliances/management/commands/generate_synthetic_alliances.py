from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from observatoire.platform.alliances import synthetic


class Command(BaseCommand):
    help = "Create N synthetic fiches (seeded, flagged synthetic, never public) for benchmarks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args: Any, **options: Any) -> None:
        def report(done: int) -> None:
            self.stdout.write(f"{done}/{options['count']}")

        synthetic.generate(options["count"], seed=options["seed"], report=report)
