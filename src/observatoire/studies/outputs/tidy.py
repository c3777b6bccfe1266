"""The tidy results: one row per published figure, as Parquet and as JSON.

Their columns are the results contract (observatoire.results_contract, docs/results-contract.md)
with the web platform, which loads these aggregates and never sees microdata; both files carry
the columns' meaning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from observatoire.results_contract import COLUMNS, METADATA, PARQUET
from observatoire.studies.outputs.publication import Publication

MEANINGS = {column.name: column.meaning for column in COLUMNS}


def write_tidy(publication: Publication, out: Path) -> list[Path]:
    """Write OUT/results.parquet and OUT/results.json."""
    results = publication.run
    study = results.study
    meta: dict[str, Any] = {
        "study": study.code,
        "title": study.title,
        "universe": study.universe,
        "synthetic": study.synthetic,
        "notice": study.synthetic_notice if study.synthetic else "",
        "waves": [
            {"id": w.id, "year": w.year, "sample_size": w.sample_size, "file": w.file}
            for w in study.chronology
        ],
    }
    return write_rows(results.results, meta, out)


def write_rows(rows: pl.DataFrame, meta: dict[str, Any], out: Path) -> list[Path]:
    """Write the rows as OUT/results.parquet (key-value metadata: study, title, synthetic,
    notice, columns) and OUT/results.json (`meta`, the columns' meaning, then the rows)."""
    parquet = out / PARQUET
    rows.write_parquet(
        parquet,
        metadata={
            "study": meta["study"],
            "title": meta["title"],
            "synthetic": "true" if meta["synthetic"] else "false",
            "notice": meta["notice"],
            "columns": json.dumps(MEANINGS, ensure_ascii=False),
        },
    )
    document = {**meta, "columns": MEANINGS, "rows": rows.to_dicts()}
    path = out / METADATA
    path.write_text(json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n", "utf-8")
    return [parquet, path]
