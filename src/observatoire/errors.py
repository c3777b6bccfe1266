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
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message
