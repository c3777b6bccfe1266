"""Jinja2 templates (studies/templates/) to HTML, and HTML to PDF with WeasyPrint."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["stylesheet"] = (TEMPLATES / "style.css").read_text("utf-8")
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> str:
    """Text as the inside of a CSS string (page footers), safe inside a <style> element."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def render_html(template: str, path: Path, **context: Any) -> str:
    """Render a template to `path` and return the HTML."""
    html = environment().get_template(template).render(**context)
    path.write_text(html, "utf-8")
    return html


def write_pdf(html: str, path: Path, base: Path) -> None:
    """Print HTML to PDF; relative links (charts) resolve against `base`."""
    from weasyprint import HTML

    HTML(string=html, base_url=str(base)).write_pdf(path)
