"""observatoire.survey: design-based estimation that agrees with R's `survey` package."""

from observatoire.survey.design import CalibrationAdjustment, Design
from observatoire.survey.errors import SurveyError

__all__ = ["CalibrationAdjustment", "Design", "SurveyError"]
