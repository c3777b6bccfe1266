"""`observatoire study`: validate a study folder, run its pipeline, generate the demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Studies: validate, compute and publish.", no_args_is_help=True)
console = Console()

FolderArg = Annotated[Path, typer.Argument(help="The study folder (holds study.yaml).")]


@app.command("validate")
def validate(folder: FolderArg) -> None:
    """Check study.yaml and every data file; list every problem with where it is (exit 2).
    A study of several populations is checked population by population."""
    from observatoire.studies.spec.populations import is_multi_population
    from observatoire.studies.spec.validate import validate_populations, validate_study

    if is_multi_population(folder):
        multi, populations = validate_populations(folder)
        sizes = ", ".join(
            f"{p.population.label}: {p.frame.height} respondents" for p in populations.values()
        )
        console.print(f"[green]Valid[/green]: study {multi.code} ({sizes}).", highlight=False)
        return
    study, waves = validate_study(folder)
    sizes = ", ".join(f"{w}: {frame.height} respondents" for w, frame in waves.items())
    console.print(f"[green]Valid[/green]: study {study.code} ({sizes}).", highlight=False)


@app.command("run")
def run(
    folder: FolderArg,
    out: Annotated[Path, typer.Option("--out", help="Output folder (replaced atomically).")],
) -> None:
    """Validate, weight, compute every indicator and write tables, charts, reports, fact sheets."""
    from observatoire.studies.run import run_study, step_count

    total = step_count(folder)
    with Progress(
        TextColumn("{task.description:<48}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("Starting", total=total)
        started = [False]

        def step(label: str) -> None:
            """A new step begins: the previous one is done."""
            bar.update(task, description=label, advance=1 if started[0] else 0)
            started[0] = True

        report = run_study(folder, out, step)
        bar.update(task, description="Done", completed=total)
    console.print(f"[green]Published[/green] {len(report.files)} files into {report.out}",
                  highlight=False)  # fmt: skip


@app.command("schema")
def schema(
    populations: Annotated[
        bool, typer.Option("--populations", help="The schema of a study of several populations.")
    ] = False,
) -> None:
    """Print the published JSON Schema of study.yaml."""
    from observatoire.studies.spec.schema import POPULATIONS_SCHEMA_PATH, SCHEMA_PATH

    path = POPULATIONS_SCHEMA_PATH if populations else SCHEMA_PATH
    typer.echo(path.read_text("utf-8"), nl=False)


@app.command("generate-demo")
def generate_demo(folder: FolderArg) -> None:
    """Write the synthetic respondents of the demo study where its study.yaml names them."""
    from observatoire.studies.demo.actors import generate_actors_demo
    from observatoire.studies.demo.generate import generate_demo as generate_waves
    from observatoire.studies.spec.populations import is_multi_population

    generate = generate_actors_demo if is_multi_population(folder) else generate_waves
    for path in generate(folder):
        console.print(f"Wrote {path}", highlight=False)
