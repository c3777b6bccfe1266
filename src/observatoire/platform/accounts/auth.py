"""Authentication of API routes by bearer token, for any app's router:

    from observatoire.platform.accounts.auth import token_auth

    @router.post("/things", auth=token_auth)
    def create_thing(request, payload): ...   # request.user is the token's user

A missing, unknown or revoked token, or an inactive user, answers 401; what the user may do is
then checked by the route (403).

Public reads that also show a user's own private records (an owner reading her draft) call
`viewer(request)` instead: the token's user when the request carries one, else the session's
user (anonymous for most); a bad token still answers 401.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from observatoire.platform.accounts import tokens


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def viewer(request: HttpRequest) -> Any:
    """Who is reading: the bearer token's user, else the session's user (AnonymousUser)."""
    if "Authorization" not in request.headers:
        return request.user
    user = token_auth(request)
    if user is None:
        raise AuthenticationError()
    return user
