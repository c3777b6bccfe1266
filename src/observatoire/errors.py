"""Errors shared by every layer.

`InputError` is what a user can fix (bad file, bad value, bad argument): the command line exits 2
and prints its one-sentence message. Any other `ObservatoireError` is a failure of the job (exit 1).
"""

from __future__ import annotations


class ObservatoireError(Exception):
    """A failure that the command line reports in one sentence, without a traceback."""


class InputError(ObservatoireError, ValueError):
    """Bad input: says what is wrong and where (file, row, column, field) when that is known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return located(self.message, self.file, self.row, self.column, self.field)


def located(
    message: str,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
) -> str:
    """`message` prefixed by where it applies: "data.csv, row 57, column 'q3': …"."""
    where = [str(file)] if file is not None else []
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column {column!r}")
    if field is not None:
        where.append(f"field {field!r}")
    return f"{', '.join(where)}: {message}" if where else message
