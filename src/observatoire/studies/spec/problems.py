"""Validation problems: collected all at once, reported together with where each one is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from observatoire.errors import InputError, located


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a study: in which file, row (1-based data row), column or field."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return located(self.message, self.file, self.row, self.column, self.field)


class StudyInvalid(InputError):
    """A study with one or more problems; the message lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        lines = "\n".join(f"  - {p}" for p in problems)
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        super().__init__(
            f"the study is invalid ({count}):\n{lines}",
            file=None,
            row=first.row if len(problems) == 1 else None,
        )

    def __str__(self) -> str:
        return self.message


def read_mapping(path: Path, what: str) -> dict[str, Any]:
    """The YAML mapping in `path` (a study file described as `what`); StudyInvalid if the file
    is missing, is not YAML (with the row of the error) or is not a mapping of keys."""
    file = str(path)
    if not path.is_file():
        raise StudyInvalid([Problem(file, f"{what} not found")])
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise StudyInvalid([Problem(file, f"not valid YAML: {exc}", row=row)]) from None
    if not isinstance(document, dict):
        raise StudyInvalid([Problem(file, f"the {what} must be a mapping of keys")])
    return document
