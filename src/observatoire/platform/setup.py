"""Preparing an instance on the embedded defaults: the steps that `observatoire demo` runs.

Each step is idempotent, so `demo` can run again on a prepared data folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from observatoire.errors import ObservatoireError
from observatoire.paths import data_dir
from observatoire.platform import secret_key

LOCAL_SETTINGS = "observatoire.platform.settings.local"


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[], None]


def environment() -> None:
    """Select the settings (local unless `DJANGO_SETTINGS_MODULE` says otherwise) and, for the
    local ones, make the data folder and its secret key if this is its first use."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", LOCAL_SETTINGS)
    if os.environ["DJANGO_SETTINGS_MODULE"] == LOCAL_SETTINGS:
        secret_key.ensure(data_dir())


def configure() -> None:
    """Django ready for a command of this instance (settings as `environment` selects them)."""
    environment()
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command
    from django.db.migrations.exceptions import InconsistentMigrationHistory

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except InconsistentMigrationHistory as exc:
        raise ObservatoireError(
            f"the database was made by an older version whose migrations have since been "
            f"rewritten ({exc}): start from a new data folder (OBSERVATOIRE_DATA_DIR) or delete "
            f"its database"
        ) from exc


def _collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _load_alliances() -> None:
    from observatoire.platform.alliances.content import load_seed

    load_seed()


def _load_funds() -> None:
    from observatoire.platform.funds.content import load_content

    load_content()


def _load_support_directory() -> None:
    from observatoire.platform.support import demo
    from observatoire.platform.support.content import load_seed

    load_seed()
    demo.load()


def _load_scorecards() -> None:
    from observatoire.platform.scorecards.content import load_seed

    load_seed()


def _publish_demo_figures() -> None:
    from observatoire.platform.results.demo import publish_figures

    publish_figures()


def steps() -> list[Step]:
    """The preparation steps, in order."""
    return [
        Step("Migrating the database", migrate),
        Step("Collecting static files", _collect_static),
        Step("Loading the base of alliances", _load_alliances),
        Step("Loading the funds and funding instruments", _load_funds),
        Step(
            "Loading the directory of support actors (and its fictitious demo structures)",
            _load_support_directory,
        ),
        Step("Loading the scorecards of the seed fiches", _load_scorecards),
        Step(
            "Computing and publishing the demo studies' figures (IMPACT-Citoyens, IMPACT-Acteurs)",
            _publish_demo_figures,
        ),
    ]


def prepare(report: Callable[[str], None] = lambda _label: None) -> None:
    """Run every preparation step, reporting each label before it runs."""
    configure()
    for step in steps():
        report(step.label)
        step.run()
