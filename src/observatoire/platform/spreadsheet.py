"""CSV that spreadsheets open safely: a text cell that a spreadsheet would take for a formula
(starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, as OWASP
recommends against CSV injection; numbers stay numbers.

    >>> safe("=1+1"), safe("-3"), safe(-3.5), safe("Santé")
    ("'=1+1", "'-3", -3.5, 'Santé')
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """The value as a spreadsheet may show it: text that could run as a formula is quoted,
    booleans are written true / false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV (comma-separated, header first, CRLF line ends) with every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe(c) for c in columns])
    writer.writerows([safe(v) for v in row] for row in rows)
    return out.getvalue()
