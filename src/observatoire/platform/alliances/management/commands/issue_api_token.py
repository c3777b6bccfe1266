from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from observatoire.platform.alliances.models import ApiToken


class Command(BaseCommand):
    help = "Issue a write-API token for a user; the key is shown once (only its hash is kept)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        _, key = ApiToken.issue(user, options["label"])
        self.stdout.write(key)
