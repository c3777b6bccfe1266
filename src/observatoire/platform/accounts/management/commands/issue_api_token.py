from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from observatoire.platform.accounts import tokens


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is printed once (only its hash is kept)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        _, key = tokens.issue(user, options["label"])
        self.stdout.write(key)
