"""`observatoire alliances`: the base of alliances from the command line (import, export, seed,
synthetic fiches), on the instance that `OBSERVATOIRE_DATA_DIR` / `DATABASE_URL` select."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Import, export and seed the base of alliances.", no_args_is_help=True)


def _django() -> None:
    from observatoire.platform import setup

    setup.configure()
    setup.migrate()


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A .csv or .json file of fiches.")],
    source: Annotated[str, typer.Option(help="Source name; re-imports update its fiches.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only, save nothing.")] = False,
) -> None:
    """Import fiches as drafts: every row is checked first; one bad row and nothing is saved."""
    _django()
    from observatoire.errors import InputError
    from observatoire.platform.alliances.importers import import_file

    report = import_file(file, source, dry_run=dry_run)
    for line in report.lines():
        typer.echo(line)
    if report.errors:
        raise InputError(f"{len(report.errors)} bad row(s): nothing was saved", file=str(file))


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, json or geojson.")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Export the published base (open licence)."""
    _django()
    from observatoire.errors import InputError
    from observatoire.platform.alliances import exports

    if fmt not in exports.FORMATS:
        raise InputError(f"unknown format {fmt!r} (csv, json or geojson)", field="format")
    content = exports.FORMATS[fmt][1]()
    if output is None:
        typer.echo(content, nl=False)
    else:
        output.write_text(content, encoding="utf-8")


@app.command()
def seed() -> None:
    """Load (or refresh) the seed fiches shipped with the project, published."""
    _django()
    from observatoire.platform.alliances.content import load_seed

    typer.echo(f"{load_seed()} seed fiche(s) loaded")


@app.command()
def synthetic(
    count: Annotated[int, typer.Argument(help="How many fiches to add.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 17,
) -> None:
    """Add synthetic fiches for benchmarks (flagged synthetic, never shown publicly)."""
    _django()
    from observatoire.platform.alliances import synthetic as generator

    typer.echo(f"{generator.generate(count, seed=seed)} synthetic fiche(s) created")
