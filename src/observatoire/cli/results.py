"""`observatoire results`: publish a study run into the platform, withdraw a wave, list.

The platform serves published results from its database and documents from its storage, on the
instance that `OBSERVATOIRE_DATA_DIR` / `DATABASE_URL` select; `study run` computes a run, this
command publishes it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Published results of the studies.", no_args_is_help=True)


def _django() -> None:
    from observatoire.platform import setup

    setup.configure()
    setup.migrate()


@app.command("publish")
def publish(
    out: Annotated[Path, typer.Argument(help="The OUT folder of `observatoire study run`.")],
) -> None:
    """Load a run's results into the platform in one transaction (its documents into the
    storage); a run that breaks the results contract changes nothing (exit 2)."""
    _django()
    from observatoire.platform.results.publishing import publish as publish_run

    done = publish_run(out, say=typer.echo)
    replaced = "replacing the previous publication" if done.replaced else "first publication"
    typer.echo(f"Published {done.study} (waves {', '.join(done.waves)}): {done.rows} rows, "
               f"{done.documents} documents; {replaced}.")  # fmt: skip


@app.command("unpublish")
def unpublish(
    study: Annotated[str, typer.Argument(help="Study code (e.g. impact-citoyens).")],
    wave: Annotated[str, typer.Argument(help="Wave id (e.g. 2019).")],
) -> None:
    """Withdraw one wave of a published study (the only wave withdraws the study)."""
    _django()
    from observatoire.platform.results.publishing import unpublish as unpublish_wave

    typer.echo(unpublish_wave(study, wave).capitalize() + ".")


@app.command("list")
def list_published() -> None:
    """The published studies: waves, rows, documents, when."""
    _django()
    from observatoire.platform.results.models import Publication

    publications = Publication.objects.all()
    if not publications:
        typer.echo("No published study.")
    for p in publications:
        pending = " (documents being rendered)" if p.documents_pending else ""
        synthetic = " [synthetic data]" if p.synthetic else ""
        typer.echo(f"{p.study}{synthetic}: waves {', '.join(p.waves)}, {p.rows_count} rows, "
                   f"{p.documents.count()} documents{pending}, published "
                   f"{p.published_at:%Y-%m-%d %H:%M} from {p.source}")  # fmt: skip


@app.command("demo-documents", hidden=True)
def demo_documents(
    background: Annotated[
        bool, typer.Option("--background", help="Yield the processor to the server.")
    ] = False,
) -> None:
    """Render and publish the demo studies' documents (what `observatoire demo` starts beside
    the server once the figures are published)."""
    if background:
        os.nice(10)  # the pages come first: the documents take what the server leaves
    _django()
    from observatoire.platform.results.demo import publish_documents

    publish_documents(typer.echo)
