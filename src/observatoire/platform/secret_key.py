"""The local instance's secret key: a random key kept in a file of its data folder.

`observatoire demo` (and every command that prepares the embedded instance) writes it once;
the local settings read it. A file, rather than a key written in the source or one drawn by each
process, because every gunicorn worker and every later run must sign with the same key: sessions,
CSRF tokens and password-reset links made by one worker are checked by another. Deleting the file
and preparing again rotates the key (everyone is logged out).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"


def path(folder: Path) -> Path:
    return folder / FILE_NAME


def read(folder: Path) -> str | None:
    """The key kept in `folder`, or None when it has none yet."""
    try:
        key = path(folder).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return key or None


def ensure(folder: Path) -> Path:
    """Create the key file if missing (readable by its owner only); idempotent.

    Written to a temporary file then linked into place, so two processes preparing the same folder
    at once end with one key that both read, never a half-written file.
    """
    target = path(folder)
    if read(folder) is not None:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(temporary, target)
    except FileExistsError:
        pass  # another process linked its key first: everyone uses that one
    finally:
        temporary.unlink()
    return target
