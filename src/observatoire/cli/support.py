"""`observatoire support`: the directory of support actors from the command line (import and
export in the data·inclusion schema, seed structures, fictitious demo structures, orientation),
on the instance that `OBSERVATOIRE_DATA_DIR` / `DATABASE_URL` select."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="The directory of support actors and « la bonne porte ».", no_args_is_help=True
)


def _django() -> None:
    from observatoire.platform import setup

    setup.configure()
    setup.migrate()


@app.command("import")
def import_(
    structures: Annotated[Path, typer.Argument(help="Structures (.json or .csv), or our export.")],
    services: Annotated[
        Path | None, typer.Argument(help="Services (.json or .csv), if in another file.")
    ] = None,
    source: Annotated[
        str, typer.Option(help="Source name; re-imports update its structures.")
    ] = "",
    licence: Annotated[str, typer.Option(help="Licence of the data.")] = "Licence Ouverte 2.0",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only, save nothing.")] = False,
) -> None:
    """Import data·inclusion records as drafts: every record is checked first; one bad record
    and nothing is saved."""
    _django()
    from observatoire.errors import InputError
    from observatoire.platform.support.importers import import_files

    report = import_files(structures, services, source=source, dry_run=dry_run, licence=licence)
    for line in report.lines():
        typer.echo(line)
    if report.errors:
        raise InputError(f"{len(report.errors)} bad record(s): nothing was saved")


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="json, structures.csv or services.csv.")
    ] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Export the published directory in the data·inclusion schema (open licence)."""
    _django()
    from observatoire.errors import InputError
    from observatoire.platform.support import exports

    if fmt == "json":
        content = exports.to_json()
    elif fmt in ("structures.csv", "services.csv"):
        content = exports.to_csv(fmt.removesuffix(".csv"))
    else:
        raise InputError(
            f"unknown format {fmt!r} (json, structures.csv or services.csv)", field="format"
        )
    if output is None:
        typer.echo(content, nl=False)
    else:
        output.write_text(content, encoding="utf-8")


@app.command()
def seed() -> None:
    """Load (or refresh) the structures written from the seed document, published."""
    _django()
    from observatoire.platform.support.content import load_seed

    typer.echo(f"{load_seed()} seed structure(s) loaded")


@app.command()
def demo(seed: Annotated[int, typer.Option(help="Random seed.")] = 2022) -> None:
    """Load (or refresh) the FICTITIOUS demo structures, published and labelled as such."""
    _django()
    from observatoire.platform.support import demo as generator

    typer.echo(f"{generator.load(seed)} fictitious demo structure(s) loaded")


@app.command()
def orient(
    actor_type: Annotated[str, typer.Option(help="Actor type code (associations…).")],
    commune: Annotated[str, typer.Option(help="INSEE code of the commune.")],
    need: Annotated[list[str] | None, typer.Option(help="A form of support; repeatable.")] = None,
    employment: Annotated[str, typer.Option(help="employeuse or non-employeuse.")] = "",
    stage: Annotated[str, typer.Option(help="Innovation stage code.")] = "",
    size: Annotated[str, typer.Option(help="Organisation size code.")] = "",
    objective: Annotated[str, typer.Option(help="Objective code.")] = "",
) -> None:
    """The doors for a question, ranked, each with why (as on the orientation page)."""
    _django()
    from django.utils import translation

    from observatoire.platform.support.orientation import clean_query
    from observatoire.platform.support.orientation import orient as run

    translation.activate("fr")
    result = run(
        clean_query(
            actor_type=actor_type,
            commune=commune,
            needs=need or [],
            employment=employment,
            stage=stage,
            size=size,
            objective=objective,
        )
    )
    typer.echo(
        f"{result.commune.name} ({result.commune.code})"
        + (" — zone blanche" if result.zone_blanche else "")
    )
    for rank, s in enumerate(result.suggestions, start=1):
        typer.echo(f"{rank}. {s.structure_name} — {s.service_name}")
        for reason in s.reasons:
            typer.echo(f"   - {reason}")
