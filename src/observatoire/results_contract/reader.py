"""The one reader of result rows: the study documents and the web pages both read through it.

`Results` indexes the rows of one study by their KEY. A figure is named by its question,
indicator and category; whose figure it is (wave, population, territory, profile) defaults to the
latest wave and all respondents of France (`DOMAIN`), so `results.get("Q1", "share",
"dynamique")` is the national share and `results.get(..., territory="52")` the same figure for a
region. A study of one population needs no `population=`; a study of several (IMPACT-Acteurs)
names it: `results.get("Q2", "group", "utile-ou-indispensable", population="entreprises")`.
`read_published` loads what the pipeline published in a folder (results.parquet + results.json).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from observatoire.results_contract.columns import (
    DOMAIN,
    ESTIMATED,
    KEY,
    NATIONAL,
    Flag,
    Indicator,
    ResultsInvalid,
    change,
    check_results,
    versus_population,
    versus_rest,
)

Row = Mapping[str, Any]
PARQUET, METADATA = "results.parquet", "results.json"


def significant(row: Row | None) -> bool:
    """Whether a change or contrast row exists and is flagged significant."""
    return row is not None and row["flag"] == Flag.SIGNIFICANT


class Results:
    """The result rows of one study, checked against the contract, with lookups by key."""

    def __init__(self, frame: pl.DataFrame, waves: Sequence[str], *, file: str | None = None):
        self.frame = check_results(frame, file)
        self.waves = tuple(waves)  # oldest first
        unknown = set(self.frame["wave"].unique()) - set(self.waves)
        if not self.waves or unknown:
            raise ResultsInvalid(f"rows of waves {sorted(unknown)} not in {list(waves)}", file=file)
        self._index = {tuple(row[k] for k in KEY): row for row in self.frame.iter_rows(named=True)}
        # populations in order of first appearance (the pipeline writes citizens first)
        self.populations = tuple(dict.fromkeys(self.frame["population"].to_list()))

    @property
    def latest(self) -> str:
        return self.waves[-1]

    @property
    def previous(self) -> str | None:
        return self.waves[-2] if len(self.waves) > 1 else None

    def _where(self, domain: Mapping[str, str | None]) -> dict[str, str | None]:
        unknown = set(domain) - {"wave", *DOMAIN}
        if unknown:
            raise TypeError(f"unknown domain columns {sorted(unknown)} (known: wave, {[*DOMAIN]})")
        where = {**DOMAIN, **domain}
        where["wave"] = domain.get("wave") or self.latest
        if where["population"] is None:
            if len(self.populations) > 1:
                raise TypeError(
                    f"these results hold several populations ({', '.join(self.populations)}): "
                    "name one with population="
                )
            where["population"] = self.populations[0] if self.populations else None
        return where

    def get(
        self, question: str, indicator: str, category: str | None = None, **domain: str | None
    ) -> Row | None:
        """One row, or None; `domain` names wave, territory, profile, profile_level if needed."""
        where = {**self._where(domain), "question": question, "indicator": str(indicator),
                 "category": category}  # fmt: skip
        return self._index.get(tuple(where[k] for k in KEY))

    def estimate(
        self, question: str, indicator: str, category: str | None = None, **domain: str | None
    ) -> float | None:
        row = self.get(question, indicator, category, **domain)
        return None if row is None else row["estimate"]

    def change(
        self, question: str, indicator: str, category: str | None = None, **domain: str | None
    ) -> Row | None:
        """The figure's change since the previous wave (in the latest wave's rows)."""
        return self.get(question, change(indicator), category, **domain)

    def versus_rest(
        self, question: str, indicator: str, category: str | None, territory: str
    ) -> Row | None:
        """A region's figure minus the rest of France's (latest wave)."""
        return self.get(question, versus_rest(indicator), category, territory=territory)

    def versus_population(
        self, question: str, indicator: str, category: str | None, population: str, versus: str
    ) -> Row | None:
        """A population's national figure minus another population's (independent samples)."""
        return self.get(
            question, versus_population(indicator), category, population=population, versus=versus
        )

    def rows(self, indicators: Iterable[str] = ESTIMATED, **domain: str | None) -> list[Row]:
        """The rows of these indicators in one domain, in questionnaire order (`position`)."""
        where = self._where(domain)
        conditions = [
            pl.col(name).is_null() if value is None else pl.col(name) == value
            for name, value in where.items()
        ]
        chosen = self.frame.filter(
            *conditions, pl.col("indicator").is_in(list(map(str, indicators)))
        )
        return list(chosen.sort("position", "indicator").iter_rows(named=True))

    def territories(self) -> list[str]:
        """The study regions that have rows, by code (France itself excluded)."""
        codes = self.frame["territory"].unique().to_list()
        return sorted(code for code in codes if code != NATIONAL)

    def weighted_base(
        self, territory: str = NATIONAL, wave: str | None = None, population: str | None = None
    ) -> float | None:
        """The population a territory's respondents represent: its largest weighted base."""
        who = self._where({"population": population})["population"]
        bases = self.frame.filter(
            pl.col("territory") == territory,
            pl.col("population") == who,
            pl.col("wave") == (wave or self.latest),
            pl.col("profile").is_null(),
            pl.col("indicator").is_in([str(i) for i in (*ESTIMATED, Indicator.RANK)]),
        )["weighted_n"]
        return None if bases.null_count() == len(bases) else float(bases.max())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Published:
    """A study as the pipeline published it: results.json's metadata and the checked rows."""

    folder: Path
    meta: dict[str, Any]  # results.json without its rows: study, title, universe, waves…
    results: Results


def read_published(folder: Path) -> Published:
    """Read results.parquet and results.json of a published folder (ResultsInvalid if broken)."""
    parquet, metadata = folder / PARQUET, folder / METADATA
    for path in (parquet, metadata):
        if not path.is_file():
            raise ResultsInvalid("file missing", file=str(path))
    try:
        with metadata.open(encoding="utf-8") as handle:
            meta = json.load(handle)
        waves = [str(wave["id"]) for wave in meta["waves"]]
    except (ValueError, KeyError, TypeError) as error:
        raise ResultsInvalid(
            f"no list of waves with their id ({error})", file=str(metadata)
        ) from error
    meta.pop("rows", None)
    try:
        frame = pl.read_parquet(parquet)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise ResultsInvalid(f"not a readable Parquet file ({error})", file=str(parquet)) from error
    return Published(folder, meta, Results(frame, waves, file=str(parquet)))
