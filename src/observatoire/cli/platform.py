"""`observatoire demo` and `observatoire serve`: prepare the embedded defaults and serve."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from observatoire.paths import data_dir


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
    if no_serve:
        from observatoire.platform.results.demo import publish_documents

        typer.echo("Rendering the demo study's documents (PDF, Excel, charts)")
        publish_documents(typer.echo)
        return
    _render_documents_in_the_background()
    _serve_from_a_fresh_process(host, port)


def _render_documents_in_the_background() -> None:
    """Start `observatoire results demo-documents` beside the server: the figures are published
    and served at once, the documents join them when rendered (the pages say so meanwhile).
    It is a new interpreter (fork and exec), in this process group: stopping `demo` stops it."""
    from observatoire.paths import data_dir

    log = data_dir() / "logs" / "demo-documents.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        subprocess.Popen(
            [sys.executable, "-m", "observatoire", "results", "demo-documents", "--background"],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    typer.echo(f"Rendering the demo study's documents in the background (log: {log})")


def _serve_from_a_fresh_process(host: str, port: int) -> None:
    """Replace this process by `observatoire serve`.

    Preparing computed the demo study with Polars, whose thread pool does not survive `fork()`:
    gunicorn workers forked from this process would wait forever on a lock held by a thread that
    no longer exists, at the first request that reads the published results. `exec` starts a new
    interpreter that has never run Polars, in the same process (same pid and terminal, so Ctrl+C
    and a supervisor's signals reach gunicorn as before).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    command = [sys.executable, "-m", "observatoire", "serve", "--host", host, "--port", str(port)]
    os.execv(sys.executable, command)


def serve(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker process.")] = 4,
) -> None:
    """Serve the platform with gunicorn (stateless workers).

    Threaded workers keep HTTP connections alive (a sync worker closes each one after a single
    response) and overlap a request's database waits with another's work; the application is
    loaded once before forking, so the workers share its memory and start at once. This process
    must not have used Polars (or another threaded native library) before: see `demo`.
    """
    from gunicorn.app.wsgiapp import WSGIApplication

    from observatoire.platform.setup import LOCAL_SETTINGS

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", LOCAL_SETTINGS)
    _check_settings()
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
            socket_path = _control_socket(port)
            if socket_path is None:
                self.cfg.set("control_socket_disable", True)
            else:
                self.cfg.set("control_socket", socket_path)

        def load_wsgiapp(self):
            from observatoire.platform.wsgi import application

            return application

    _App().run()


def _control_socket(port: int) -> str | None:
    """This instance's gunicorn control socket (`gunicornc -s PATH`): in its data folder, named
    after its port. gunicorn's default is one path per user, so a second instance took over the
    first one's socket. None (no socket) when the path is too long for a Unix socket."""
    path = data_dir() / f"gunicorn-{port}.ctl"
    return str(path) if len(os.fsencode(path)) < 100 else None


def _check_settings() -> None:
    """Fail here, with the settings' own sentence (a missing secret key, debug on in production),
    rather than in gunicorn's traceback."""
    from django.conf import settings

    settings.SECRET_KEY  # noqa: B018  # importing the settings module runs its checks
