"""The study pipeline: a study folder (study.yaml + data files) in, published outputs out.

`load_study` reads and checks the description, `validate_study` checks the data against it,
`run_study` computes every figure and writes the outputs atomically.
"""

from __future__ import annotations

from observatoire.studies.spec.model import Question, Study, Wave, load_study
from observatoire.studies.spec.problems import Problem, StudyInvalid

__all__ = ["Problem", "Question", "Study", "StudyInvalid", "Wave", "load_study"]
