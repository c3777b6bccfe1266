"""French number formats."""

from __future__ import annotations

from observatoire.studies import formats


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


def test_footers_are_escaped_for_css_not_html() -> None:
    from observatoire.studies.render import css_string

    assert css_string("Provence-Alpes-Côte d'Azur") == "Provence-Alpes-Côte d'Azur"
    assert css_string('a "b" \\ </style>') == 'a \\"b\\" \\\\ \\3c /style>'
