"""A selection of published figures as a file: CSV (spreadsheet-safe) or Parquet.

One line per figure, as the API's rows, with each comparison as columns (`change_*` since the
previous wave, `vs_rest_*` against the rest, `vs_<population>_*` against another population)
and a `synthetic` column; the Parquet file's metadata carries the synthetic-data notices.
"""

from __future__ import annotations

import io
import json
from typing import Any

import polars as pl
from django.http import HttpResponse

from observatoire.platform.results.selection import POPULATION, PREVIOUS_WAVE, REST, Selection
from observatoire.platform.spreadsheet import csv_text

ROW_COLUMNS = {
    "study": pl.String, "wave": pl.String, "population": pl.String, "versus": pl.String,
    "question": pl.String,
    "question_label": pl.String, "indicator": pl.String, "category": pl.String,
    "category_label": pl.String, "territory": pl.String, "territory_name": pl.String,
    "profile": pl.String, "profile_level": pl.String, "reading": pl.String,
    "estimate": pl.Float64, "se": pl.Float64, "ci_low": pl.Float64, "ci_high": pl.Float64,
    "n": pl.Int64, "weighted_n": pl.Float64, "flag": pl.String, "synthetic": pl.Boolean,
}  # fmt: skip
COMPARISON_COLUMNS = {
    "difference": pl.Float64, "se": pl.Float64, "ci_low": pl.Float64, "ci_high": pl.Float64,
    "significant": pl.Boolean,
}  # fmt: skip
PREFIXES = {PREVIOUS_WAVE: "change", REST: "vs_rest"}


def _prefix(comparison: dict[str, Any]) -> str:
    if comparison["reference"] == POPULATION:
        return f"vs_{comparison['versus']}"
    return PREFIXES[comparison["reference"]]


def frame(selection: Selection) -> pl.DataFrame:
    """The selection as one table, comparisons as columns."""
    prefixes = list(dict.fromkeys(_prefix(c) for r in selection.rows for c in r["comparisons"]))
    schema: dict[str, Any] = dict(ROW_COLUMNS)
    for prefix in prefixes:
        schema.update({f"{prefix}_{name}": dtype for name, dtype in COMPARISON_COLUMNS.items()})
    records = []
    for row in selection.rows:
        record = {name: row.get(name) for name in ROW_COLUMNS}
        for comparison in row["comparisons"]:
            prefix = _prefix(comparison)
            record.update({f"{prefix}_{name}": comparison[name] for name in COMPARISON_COLUMNS})
        records.append(record)
    return pl.DataFrame(records, schema=schema, orient="row")


def _filename(selection: Selection, extension: str) -> str:
    parts = ["resultats", selection.query.study or "etudes"]
    if selection.place is not None:
        parts.append(selection.place.code)
    if selection.query.question:
        parts.append(selection.query.question)
    if selection.synthetic:
        parts.append("donnees-synthetiques")
    safe = "-".join(p for p in parts if p).replace("/", "-").replace('"', "")
    return f"{safe}.{extension}"


def _attachment(response: HttpResponse, selection: Selection, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_filename(selection, extension)}"'
    if selection.synthetic:
        response["X-Synthetic-Data"] = "true"
    return response


def to_csv(selection: Selection) -> str:
    table = frame(selection)
    return csv_text(table.columns, table.iter_rows())


def csv_response(selection: Selection) -> HttpResponse:
    response = HttpResponse(to_csv(selection), content_type="text/csv; charset=utf-8")
    return _attachment(response, selection, "csv")


def parquet_response(selection: Selection) -> HttpResponse:
    buffer = io.BytesIO()
    frame(selection).write_parquet(
        buffer,
        metadata={
            "synthetic": "true" if selection.synthetic else "false",
            "notices": json.dumps(selection.notices, ensure_ascii=False),
        },
    )
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.apache.parquet")
    return _attachment(response, selection, "parquet")
