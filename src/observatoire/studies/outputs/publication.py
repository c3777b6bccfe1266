"""What every output of a run is written from: the computed rows, read through the results
contract (`findings`), and the charts' specs, each built once for all the outputs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from observatoire.studies.compute import StudyResults
from observatoire.studies.outputs.charts import Chart, study_charts
from observatoire.studies.outputs.findings import Findings


@dataclass(frozen=True)
class Publication:
    run: StudyResults

    @cached_property
    def findings(self) -> Findings:
        return Findings(self.run)

    @cached_property
    def charts(self) -> list[Chart]:
        return study_charts(self.run.study, self.run.results)
