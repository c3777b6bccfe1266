"""Rendering documents: text placed in CSS (page footers) is escaped for CSS, not for HTML."""

from __future__ import annotations

from observatoire.studies.outputs.render import css_string


def test_footers_are_escaped_for_css_not_html() -> None:
    assert css_string("Provence-Alpes-Côte d'Azur") == "Provence-Alpes-Côte d'Azur"
    assert css_string('a "b" \\ </style>') == 'a \\"b\\" \\\\ \\3c /style>'
