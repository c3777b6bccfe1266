"""observatoire.survey: design-based estimation that agrees with R's `survey` package.

>>> import polars as pl
>>> from observatoire.survey import Design, mean
>>> frame = pl.DataFrame({"s": ["a", "a", "b", "b"], "y": [1.0, 3.0, 5.0, 7.0], "w": [1.0] * 4})
>>> mean(Design.from_frame(frame, strata="s", weights="w"), "y").table["estimate"].to_list()
[4.0]
"""

from observatoire.survey.calibration import (
    calibrate,
    calibration_diagnostics,
    poststratify,
    rake,
    trim,
)
from observatoire.survey.comparisons import (
    Comparison,
    contrast,
    difference,
    domain_vs_rest,
    independent_differences,
    pairwise,
)
from observatoire.survey.design import CalibrationAdjustment, Design
from observatoire.survey.errors import SurveyError
from observatoire.survey.estimates import Estimates
from observatoire.survey.linearization import degrees_of_freedom, total_variance
from observatoire.survey.means import mean, ratio, total, var
from observatoire.survey.pps import HR, ppsmat
from observatoire.survey.proportions import ciprop
from observatoire.survey.quantiles import quantile
from observatoire.survey.replicates import ReplicateWeights, as_replicate, from_columns
from observatoire.survey.tests import chisq, ttest

__all__ = [
    "HR",
    "CalibrationAdjustment",
    "Comparison",
    "Design",
    "Estimates",
    "ReplicateWeights",
    "SurveyError",
    "as_replicate",
    "calibrate",
    "calibration_diagnostics",
    "chisq",
    "ciprop",
    "contrast",
    "degrees_of_freedom",
    "difference",
    "domain_vs_rest",
    "from_columns",
    "independent_differences",
    "mean",
    "pairwise",
    "poststratify",
    "ppsmat",
    "quantile",
    "rake",
    "ratio",
    "total",
    "total_variance",
    "trim",
    "ttest",
    "var",
]
