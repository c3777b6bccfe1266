"""The outputs of a study of several populations, read side by side ("regards croisés").

Everything is written from the published rows and results.json's metadata, read through the
results contract's cross-reading (`observatoire.results_contract.crossreading`), exactly as the
web platform reads them: the tidy results, one dot-plot chart per shared question, an Excel
workbook with one sheet per shared question, the two-page "Regards croisés" PDF and the full
report (its first chapter the cross-reading, then each population, then the method).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observatoire.studies.outputs.crossreading.charts import write_charts
from observatoire.studies.outputs.crossreading.documents import write_regards, write_report
from observatoire.studies.outputs.crossreading.publication import PopulationsPublication
from observatoire.studies.outputs.crossreading.tables import write_tables
from observatoire.studies.outputs.tidy import write_rows


@dataclass(frozen=True)
class Output:
    step: str  # what the progress bar says while it is written
    write: Callable[[PopulationsPublication, Path], list[Path]]


def write_tidy(publication: PopulationsPublication, out: Path) -> list[Path]:
    """OUT/results.parquet and OUT/results.json, with the populations described."""
    return write_rows(publication.run.results, publication.meta, out)


OUTPUTS: tuple[Output, ...] = (
    Output("Writing the tidy results", write_tidy),
    Output("Rendering the charts", write_charts),
    Output("Writing the Excel tables", write_tables),
    Output("Writing the full report", write_report),
    Output("Writing the two-page « Regards croisés »", write_regards),
)

__all__ = ["OUTPUTS", "Output", "PopulationsPublication"]
