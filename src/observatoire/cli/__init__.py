"""The `observatoire` command line.

Exit codes: 0 success, 1 failure of the job, 2 bad usage or bad input. Errors are printed as one
sentence; `--debug` shows the traceback.
"""

from __future__ import annotations

from observatoire.cli.app import app, main

__all__ = ["app", "main"]
