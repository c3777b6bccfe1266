"""Weighting a sample to known population figures, with variances that account for it.

- `poststratify`: one column (or crossed columns), each cell weighted to its count (R's
  ``postStratify``);
- `rake`: iterative proportional fitting on any number of margins, crossed margins included
  (R's ``rake``, run to a strict convergence);
- `calibrate`: linear (GREG), raking-ratio and logit calibration on categorical and numeric
  totals, with bounds on g = new / old weight (R's ``calibrate``);
- `trim`: trimming with redistribution (R's ``trimWeights``);
- `apply_calibration`: any of the above described as plain data (JSON, YAML);
- `calibration_diagnostics`: what the last step achieved (gaps, g range, Kish deff, effective n).

Each returns a new `Design` whose weights are calibrated and whose ``calibrations`` end with the
step's adjustment, so that linearised variances are R's. Impossible targets raise `SurveyError`
naming the margin and category; nothing returns weights that miss their targets.
"""

from observatoire.survey.calibration.diagnostics import (
    CalibrationDiagnostics,
    calibration_diagnostics,
)
from observatoire.survey.calibration.greg import calibrate
from observatoire.survey.calibration.poststratify import poststratify
from observatoire.survey.calibration.raking import rake
from observatoire.survey.calibration.spec import apply_calibration
from observatoire.survey.calibration.targets import Margin
from observatoire.survey.calibration.trimming import trim

__all__ = [
    "CalibrationDiagnostics",
    "Margin",
    "apply_calibration",
    "calibrate",
    "calibration_diagnostics",
    "poststratify",
    "rake",
    "trim",
]
