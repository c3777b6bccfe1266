"""The results contract between the study pipeline (which writes) and the platform (which reads).

A study publishes tidy rows, one per figure (docs/results-contract.md). This package is the only
place that knows their shape: the columns and types (`COLUMNS`, `SCHEMA`, `check_results`), the
national territory (`NATIONAL`), the flags (`Flag`), the indicators and the rows derived from
them (`Indicator`, `change`, `versus_rest`, `versus_population`), the one reader of the rows
(`Results`, `read_published`), how a figure reads in French or English (`formats`) and the
cross-reading of a study of several populations (`crossreading`).
"""

from __future__ import annotations

from observatoire.results_contract.columns import (
    CHANGE,
    COLUMNS,
    DOMAIN,
    ESTIMATED,
    INDICATORS,
    KEY,
    NATIONAL,
    SCHEMA,
    VERSUS_POPULATION,
    VERSUS_REST,
    Column,
    Flag,
    Indicator,
    ResultsInvalid,
    base_indicator,
    change,
    check_results,
    is_mean,
    versus_population,
    versus_rest,
)
from observatoire.results_contract.reader import (
    METADATA,
    PARQUET,
    Published,
    Results,
    Row,
    read_published,
    significant,
)

__all__ = [
    "CHANGE",
    "COLUMNS",
    "DOMAIN",
    "ESTIMATED",
    "INDICATORS",
    "KEY",
    "METADATA",
    "NATIONAL",
    "PARQUET",
    "SCHEMA",
    "VERSUS_POPULATION",
    "VERSUS_REST",
    "Column",
    "Flag",
    "Indicator",
    "Published",
    "Results",
    "ResultsInvalid",
    "Row",
    "base_indicator",
    "change",
    "check_results",
    "is_mean",
    "read_published",
    "significant",
    "versus_population",
    "versus_rest",
]
