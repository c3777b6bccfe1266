"""Markdown of fiche descriptions rendered to HTML: CommonMark (markdown-it-py) with tables and
strikethrough, then sanitised with nh3 (inline HTML keeps only harmless tags: no script, no event
handler, no javascript: URL survives).

markdown-it-py keeps CommonMark's guarantee of linear time on any input (its parser ports the
reference implementations' fixes for pathological nesting, brackets and emphasis); the former
renderer took seconds on 16,000 characters of unclosed links, so one contributor's draft could
hold a server thread. Descriptions are bounded too (`validation.DESCRIPTION_MAX`).
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_to_safe_html(source: str) -> str:
    return nh3.clean(_PARSER.render(source), link_rel="noopener noreferrer nofollow")
