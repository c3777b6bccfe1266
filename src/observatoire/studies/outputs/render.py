"""Jinja2 templates (outputs/templates/) to HTML, and HTML to PDF with WeasyPrint."""

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


def write_document(
    template: str, html_path: Path, base: Path, context: dict[str, Any]
) -> list[Path]:
    """Render a template to HTML_PATH and print it to the PDF beside it; relative links (charts)
    resolve against `base`, the output folder."""
    from weasyprint import HTML

    html = environment().get_template(template).render(**context)
    html_path.write_text(html, "utf-8")
    pdf_path = html_path.with_suffix(".pdf")
    HTML(string=html, base_url=str(base)).write_pdf(pdf_path)
    return [html_path, pdf_path]
