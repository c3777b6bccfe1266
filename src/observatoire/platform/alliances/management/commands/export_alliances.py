from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from observatoire.platform.alliances import exports


class Command(BaseCommand):
    help = "Export the published base (open licence) as CSV, JSON or GeoJSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=sorted(exports.FORMATS), default="json")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        content = exports.FORMATS[options["format"]][1]()
        if options["output"]:
            options["output"].write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
