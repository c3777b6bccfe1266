"""The examples in the calibration docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["poststratify", "raking", "greg", "trimming"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"observatoire.survey.calibration.{name}")
    failures, attempted = doctest.testmod(module)
    assert attempted > 0
    assert failures == 0
