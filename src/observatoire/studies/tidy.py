"""The tidy results: one row per published figure, as Parquet and as JSON.

The columns (documented in COLUMNS, in docs/studies.md and inside results.json) are the
contract with the web platform, which loads these aggregates and never sees microdata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from observatoire.studies.compute import RESULT_SCHEMA, StudyResults

COLUMNS: dict[str, str] = {
    "study": "study code (study.yaml `study`)",
    "wave": "wave id (study.yaml `waves[].id`)",
    "question": "question code; for grids `<question>.<item>` (e.g. Q3.sante)",
    "indicator": "mean | band | share | group | rank; <x>_change = latest wave minus previous; "
    "<x>_vs_rest = region minus the rest of France; rank_change = previous rank minus rank",
    "category": "answer code, band code, group code or option code (null for means and ranks)",
    "territory": "FR, or the INSEE code of the study region",
    "profile": "banner variable (null for all respondents)",
    "profile_level": "code of the banner variable (null for all respondents)",
    "estimate": "the figure: shares as fractions (0.74), means on their own scale",
    "se": "standard error (design-based, Taylor linearisation after raking)",
    "ci_low": "lower bound of the confidence interval (study.yaml reporting.confidence)",
    "ci_high": "upper bound of the confidence interval",
    "n": "unweighted base: respondents who answered",
    "weighted_n": "weighted base (population represented)",
    "flag": "small_base (n < min_base), suppressed (n < suppress_below: figure withheld), "
    "significant (changes and comparisons significant at the study's level), or null",
    "question_label": "French label of the question (and item)",
    "category_label": "French label of the category",
}
assert list(COLUMNS) == list(RESULT_SCHEMA), "documented columns must match the results"


def write_tidy(results: StudyResults, out: Path) -> list[Path]:
    """Write OUT/results.parquet and OUT/results.json."""
    study = results.study
    notice = study.synthetic_notice if study.synthetic else ""
    parquet = out / "results.parquet"
    results.results.write_parquet(
        parquet,
        metadata={
            "study": study.code,
            "title": study.title,
            "synthetic": "true" if study.synthetic else "false",
            "notice": notice,
            "columns": json.dumps(COLUMNS, ensure_ascii=False),
        },
    )
    document: dict[str, Any] = {
        "study": study.code,
        "title": study.title,
        "universe": study.universe,
        "synthetic": study.synthetic,
        "notice": notice,
        "waves": [
            {"id": w.id, "year": w.year, "sample_size": w.sample_size, "file": w.file}
            for w in study.waves
        ],
        "columns": COLUMNS,
        "rows": results.results.to_dicts(),
    }
    path = out / "results.json"
    path.write_text(json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n", "utf-8")
    return [parquet, path]


def read_results(out: Path) -> pl.DataFrame:
    """The published results of a run folder."""
    return pl.read_parquet(out / "results.parquet")
