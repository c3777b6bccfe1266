"""The examples in the survey engine's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "observatoire.survey",
    "observatoire.survey.design",
    "observatoire.survey.linearization",
    "observatoire.survey.means",
    "observatoire.survey.quantiles",
    "observatoire.survey.proportions",
    "observatoire.survey.comparisons",
    "observatoire.survey.pps",
    "observatoire.survey.replicates",
    "observatoire.survey.tests",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
