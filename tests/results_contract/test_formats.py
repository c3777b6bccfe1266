"""Figures read in the reader's language: French by default (every study document), English on
the /en/ pages."""

from __future__ import annotations

import doctest

import pytest

from observatoire.results_contract import columns, formats


def test_marks_and_percentages_read_the_french_way() -> None:
    assert formats.mark(5.7) == "5,7"
    assert formats.mark(5.66) == "5,7"
    assert formats.percent(0.74) == "74\u00a0%"
    assert formats.count(51_649_000).replace("\u202f", " ").replace("\u00a0", " ") == "51 649 000"
    assert formats.millions(51_649_000) == "51,6\u00a0M"
    assert formats.signed(0.034, share=True) == "+3\u00a0pts"
    assert formats.signed(-0.01, share=True) == "−1\u00a0pt"
    assert formats.signed(-0.42, share=False) == "−0,4"
    assert formats.value(None, "share") == "–"
    assert (formats.ordinal(1), formats.ordinal(4)) == ("1er", "4e")


def test_english_numbers() -> None:
    en = {"language": "en"}
    assert formats.mark(5.75, **en) == "5.8" and formats.mark(5.7, 2, **en) == "5.70"
    assert formats.percent(0.74, **en) == "74%"
    assert formats.count(51_649_000, **en) == "51,649,000"
    assert formats.signed(-0.42, share=False, **en) == "−0.4"
    assert formats.difference(0.19, "share_vs_rest", **en) == "+19\u00a0pts"
    assert formats.difference(0.3, "mean_change", **en) == "+0.3"
    assert formats.value(5.66, "mean", language="en-gb") == "5.7"


@pytest.mark.parametrize(
    ("rank", "english"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_english_ordinals(rank: int, english: str) -> None:
    assert formats.ordinal(rank, language="en") == english
    assert formats.ordinal(float(rank), language="fr") == ("1er" if rank == 1 else f"{rank}e")


@pytest.mark.parametrize("module", [columns, formats])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
