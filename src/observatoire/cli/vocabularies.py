"""`observatoire vocabularies`: the shared reference lists."""

from __future__ import annotations

from typing import Annotated

import typer

from observatoire import vocabularies
from observatoire.errors import InputError

app = typer.Typer(help="Show or export the controlled vocabularies.", no_args_is_help=True)


@app.command("export")
def export(
    name: Annotated[str | None, typer.Argument(help="One vocabulary; all when omitted.")] = None,
) -> None:
    """Print the vocabularies (or one of them) as JSON."""
    import json

    data = vocabularies.as_json_data()
    if name is not None:
        if name not in data:
            raise InputError(f"unknown vocabulary {name!r} (known: {', '.join(data)})")
        data = {name: data[name]}
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("list")
def list_(language: Annotated[str, typer.Option(help="fr or en")] = "fr") -> None:
    """List each vocabulary with its codes and labels."""
    for vocab in vocabularies.ALL:
        typer.echo(f"{vocab.name}: {vocab.en if language == 'en' else vocab.fr}")
        for term in vocab.terms:
            typer.echo(f"  {term.code:<32} {term.label(language)}")
