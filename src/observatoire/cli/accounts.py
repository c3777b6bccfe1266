"""`observatoire accounts`: API tokens from the command line (they can also be issued and revoked
in the admin), on the instance that `OBSERVATOIRE_DATA_DIR` / `DATABASE_URL` select."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="API tokens of the platform's users.", no_args_is_help=True)


def _django() -> None:
    from observatoire.platform import setup

    setup.configure()
    setup.migrate()


def _user(username: str):
    from django.contrib.auth import get_user_model

    from observatoire.errors import InputError

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InputError(f"no user named {username!r}", field="username")
    return user


@app.command("issue-token")
def issue_token(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Issue an API token and print its key, once: only its hash is kept."""
    _django()
    from observatoire.platform.accounts import tokens

    _, key = tokens.issue(_user(username), label)
    typer.echo(key)


@app.command("revoke-tokens")
def revoke_tokens(
    ids: Annotated[list[int] | None, typer.Argument(help="Token ids (see `tokens`).")] = None,
    user: Annotated[str | None, typer.Option(help="Revoke every token of this user.")] = None,
) -> None:
    """Revoke tokens by id, or all of a user's."""
    from observatoire.errors import InputError

    if not ids and not user:
        raise InputError("name token ids or --user USERNAME")
    _django()
    from observatoire.platform.accounts import tokens
    from observatoire.platform.accounts.models import ApiToken

    selected = ApiToken.objects.all()
    if ids:
        selected = selected.filter(pk__in=ids)
    if user:
        selected = selected.filter(user=_user(user))
    typer.echo(f"{tokens.revoke(selected)} token(s) revoked")


@app.command("tokens")
def list_tokens(
    user: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
) -> None:
    """List tokens: id, user, label, created, last used, revoked (never the keys)."""
    _django()
    from observatoire.platform.accounts.models import ApiToken

    selected = ApiToken.objects.select_related("user")
    if user:
        selected = selected.filter(user=_user(user))

    def day(moment: object) -> str:
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"

    for token in selected:
        state = f"revoked {day(token.revoked_at)}" if token.revoked_at else "active"
        typer.echo(
            f"{token.pk}\t{token.user}\t{token.label or '-'}\t{day(token.created_at)}\t"
            f"{day(token.last_used_at)}\t{state}"
        )
