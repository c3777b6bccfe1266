"""Markdown of fiche descriptions rendered to HTML, then sanitised with nh3 (no script, no
event handler, no javascript: URL survives)."""

from __future__ import annotations

import markdown
import nh3


def markdown_to_safe_html(source: str) -> str:
    html = markdown.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")
