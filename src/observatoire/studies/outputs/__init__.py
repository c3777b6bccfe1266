"""Every output of a run, in the order `run_study` writes them: the one registered list.

Each output is written from a `Publication` into the output folder and returns the files it
wrote; a new output is one more `Output` in `OUTPUTS`. The tidy results come first: a run
without documents writes them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observatoire.studies.outputs.charts import write_charts
from observatoire.studies.outputs.factsheets import write_factsheets
from observatoire.studies.outputs.publication import Publication
from observatoire.studies.outputs.report import write_report
from observatoire.studies.outputs.summary import write_summary
from observatoire.studies.outputs.tables import write_banner, write_tables
from observatoire.studies.outputs.tidy import write_tidy


@dataclass(frozen=True)
class Output:
    step: str  # what the progress bar says while it is written
    write: Callable[[Publication, Path], list[Path]]


OUTPUTS: tuple[Output, ...] = (
    Output("Writing the tidy results", write_tidy),
    Output("Rendering the charts", write_charts),
    Output("Writing the Excel tables", write_tables),
    Output("Writing the banner tables", write_banner),
    Output("Writing the full report", write_report),
    Output("Writing the two-page summary", write_summary),
    Output("Writing the regional fact sheets", write_factsheets),
)

__all__ = ["OUTPUTS", "Output", "Publication"]
