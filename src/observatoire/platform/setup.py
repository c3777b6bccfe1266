"""Preparing an instance on the embedded defaults: the steps that `observatoire demo` runs.

Each step is idempotent, so `demo` can run again on a prepared data folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[], None]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.platform.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _load_alliances() -> None:
    from observatoire.platform.alliances.content import load_seed

    load_seed()


def _publish_demo_study() -> None:
    from observatoire.studies.demo import publish_demo

    publish_demo()


def steps() -> list[Step]:
    """The preparation steps, in order."""
    return [
        Step("Migrating the database", _migrate),
        Step("Collecting static files", _collect_static),
        Step("Loading the base of alliances", _load_alliances),
        Step("Generating and computing the demo study", _publish_demo_study),
    ]


def prepare(report: Callable[[str], None] = lambda _label: None) -> None:
    """Run every preparation step, reporting each label before it runs."""
    _django()
    for step in steps():
        report(step.label)
        step.run()
