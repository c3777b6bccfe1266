"""Read survey microdata (CSV, Parquet, Excel, SPSS, Stata) into Polars, keeping value labels.

Statistical files carry their codebook: SPSS and Stata store a label for each code ("1" →
"Homme") and a label for each variable ("Q3_1" → "Santé"). Banners and reports need both, so every
reader returns a `SurveyFrame` (the data as stored, codes untouched, plus the two label maps); for
formats without labels (CSV, Parquet, Excel) the maps are empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat

from observatoire.errors import InputError

CSV_SCHEMA_SAMPLE = 10_000
"""Rows a CSV reader looks at to infer column types (a wrong guess fails with the row named)."""


@dataclass(frozen=True)
class SurveyFrame:
    """Microdata as read, with the file's value labels and variable labels.

    `labels[column][code]` is the label of one code; `variable_labels[column]` is the question
    text. Codes are never replaced in `frame`: use `labelled()` to get a labelled copy of a column.
    """

    frame: pl.DataFrame
    labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)

    def labelled(self, column: str) -> pl.Series:
        """The column with each code replaced by its label (codes without a label kept as text)."""
        if column not in self.frame.columns:
            raise InputError(f"no column {column!r}; columns are {', '.join(self.frame.columns)}")
        series = self.frame.get_column(column)
        mapping = self.labels.get(column)
        if not mapping:
            return series
        return series.replace_strict(
            list(mapping),
            list(mapping.values()),
            default=series.cast(pl.String),
            return_dtype=pl.String,
        )


def _read_csv(path: Path) -> SurveyFrame:
    return SurveyFrame(pl.read_csv(path, infer_schema_length=CSV_SCHEMA_SAMPLE))


def _read_parquet(path: Path) -> SurveyFrame:
    return SurveyFrame(pl.read_parquet(path))


def _read_excel(path: Path) -> SurveyFrame:
    return SurveyFrame(pl.read_excel(path, sheet_id=1))


def _read_stat(reader: Callable[..., Any]) -> Callable[[Path], SurveyFrame]:
    def read(path: Path) -> SurveyFrame:
        frame, meta = reader(str(path), output_format="polars")
        labels = {
            column: dict(meta.value_labels[label_set])
            for column, label_set in meta.variable_to_label.items()
            if label_set in meta.value_labels
        }
        variable_labels = {
            column: label for column, label in meta.column_names_to_labels.items() if label
        }
        return SurveyFrame(frame, labels, variable_labels)

    return read


READERS: dict[str, Callable[[Path], SurveyFrame]] = {
    ".csv": _read_csv,
    ".parquet": _read_parquet,
    ".pq": _read_parquet,
    ".xlsx": _read_excel,
    ".xlsm": _read_excel,
    ".xls": _read_excel,
    ".sav": _read_stat(pyreadstat.read_sav),
    ".zsav": _read_stat(pyreadstat.read_sav),
    ".dta": _read_stat(pyreadstat.read_dta),
}
"""Readers by file extension (lower case)."""


def read_survey(path: str | Path) -> SurveyFrame:
    """Read one microdata file, choosing the reader from its extension.

    Raises `InputError` naming the file when it does not exist, when its extension is not one of
    `READERS`, or when its content cannot be read (with the reader's reason).

    >>> read_survey("citoyens_2022.sav").labels["sexe"]  # doctest: +SKIP
    {1.0: 'Homme', 2.0: 'Femme'}
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError("file not found" if not path.exists() else "not a file", file=name)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise InputError(
            f"unsupported extension {path.suffix or '(none)'!r}; supported: {supported}", file=name
        )
    try:
        survey = reader(path)
    except InputError:
        raise
    except Exception as error:  # every reader has its own exception types; all mean "unreadable"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"cannot read this file: {reason}", file=name) from error
    if survey.frame.width == 0:
        raise InputError("the file has no columns", file=name)
    return survey
