"""`observatoire demo` and `observatoire serve`: prepare the embedded defaults and serve."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("serve")(serve)


def demo(
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Prepare everything, then stop.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Prepare everything on the embedded defaults (idempotent), then serve."""
    from observatoire.platform import setup

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=False
    ) as progress:
        task = progress.add_task("Preparing", total=len(setup.steps()))

        def report(label: str) -> None:
            progress.update(task, description=label)
            progress.advance(task)

        setup.prepare(report)
        progress.update(task, description="Ready", completed=len(setup.steps()))
    if not no_serve:
        serve(host=host, port=port)


def serve(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker process.")] = 4,
) -> None:
    """Serve the platform with gunicorn (stateless workers).

    Threaded workers keep HTTP connections alive (a sync worker closes each one after a single
    response) and overlap a request's database waits with another's work; the application is
    loaded once before forking, so the workers share its memory and start at once.
    """
    from gunicorn.app.wsgiapp import WSGIApplication

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.platform.settings")
    typer.echo(f"Serving the observatory at http://{host}:{port}/ (Ctrl+C to stop)")

    class _App(WSGIApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("keepalive", 5)
            self.cfg.set("preload_app", True)
            self.cfg.set("accesslog", "-")

        def load_wsgiapp(self):
            from observatoire.platform.wsgi import application

            return application

    _App().run()
