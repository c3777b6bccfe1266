"""Root Typer application: global options, error handling and the sub-commands."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from observatoire.errors import InputError

app = typer.Typer(
    name="observatoire",
    help="Observatoire des partenariats: survey engine, studies and web platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)
_state = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


def _register() -> None:
    """Attach the sub-command groups; each lives in a module named after what it does."""
    from observatoire.cli import platform, vocabularies

    app.add_typer(vocabularies.app, name="vocabularies")
    from observatoire.cli import territory

    app.add_typer(territory.app, name="territory")
    from observatoire.cli import study

    app.add_typer(study.app, name="study")
    from observatoire.cli import alliances

    app.add_typer(alliances.app, name="alliances")
    from observatoire.cli import accounts

    app.add_typer(accounts.app, name="accounts")
    from observatoire.cli import support

    app.add_typer(support.app, name="support")
    from observatoire.cli import results

    app.add_typer(results.app, name="results")
    platform.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and maps errors to exit codes.

    Click handles usage errors itself (exit 2); our InputError also exits 2, any other error 1.
    """
    _register()
    try:
        app(args=argv)
    except InputError as exc:
        _fail(exc, 2)
    except KeyboardInterrupt:
        err.print("[red]Interrupted.[/red]")
        sys.exit(130)
    except Exception as exc:
        _fail(exc, 1)


def _fail(exc: BaseException, code: int) -> None:
    if _state["debug"]:
        err.print_exception()
    else:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
    sys.exit(code)
