"""API tokens: issue (the key is shown once), authenticate a request's key, revoke.

Keys are 256 random bits, so a plain SHA-256 is enough to keep them (a slow password hash guards
guessable secrets, not random ones) and lets a request's key be found by one indexed lookup. The
`obs_` prefix lets secret scanners and people recognise a leaked key.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from observatoire.platform.accounts.models import ApiToken

PREFIX = "obs_"
# The last-used date is written at most this often per token (not on every request).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh clear key and the hash to store."""
    key = PREFIX + secrets.token_urlsafe(32)
    return key, _hash(key)


def issue(user: Any, label: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`, and its clear key: returned once, never stored."""
    key, key_hash = new_key()
    return ApiToken.objects.create(user=user, label=label, key_hash=key_hash), key


def authenticate(key: str) -> Any | None:
    """The active user of a valid, unrevoked token, noting when it was used; else None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke(tokens: QuerySet[ApiToken]) -> int:
    """Revoke these tokens (those already revoked keep their date); how many were revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
