"""Charts rendered offline (vl-convert: SVG, PNG from the SVG; nothing fetched) and cached.

A chart is known by the digest of its spec, so the same figures drawn the same way are rendered
once: kept in this process (the most recent ones) and in the storage under the publication's
prefix (`results/<study>/<uid>/charts/<digest>.<format>`), where every worker finds them and
where they go with the publication they were drawn from. CSV needs no rendering: it is the
selection's rows, as the API gives them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile

from observatoire.platform.results import downloads, published
from observatoire.platform.results.charts import Chart
from observatoire.platform.results.memo import Memo
from observatoire.platform.results.publishing import PREFIX, storage
from observatoire.platform.results.selection import Query, Selection

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}
KEPT = 256  # renders kept in memory per process
LOCALES = {"fr": "fr-FR", "en": "en-US"}

_memory: Memo[bytes] = Memo(KEPT)


def digest(chart: Chart, language: str) -> str:
    text = json.dumps([chart.spec, language], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def render(chart: Chart, fmt: str, study: published.PublishedStudy, language: str) -> bytes:
    """The chart as SVG, PNG or CSV."""
    if fmt == "csv":
        selection = Selection(Query(study=chart.study), None, {study.code: study}, given=chart.rows)
        return downloads.to_csv(selection).encode()
    key = f"{digest(chart, language)}.{fmt}"
    name = f"{PREFIX}/{study.code}/{study.uid}/charts/{key}"
    return _memory.get(name, lambda: _stored(name, chart, fmt, language))


def _stored(name: str, chart: Chart, fmt: str, language: str) -> bytes:
    """The render another worker (or an earlier process) stored, or a new one, stored."""
    store = storage()
    if store.exists(name):
        with store.open(name, "rb") as handle:
            return bytes(handle.read())
    data = _convert(chart, fmt, language)
    store.save(name, ContentFile(data))
    return data


def _convert(chart: Chart, fmt: str, language: str) -> bytes:
    import vl_convert as vlc  # loaded in the worker that first draws, never before a fork

    locale: Any = LOCALES.get(language, "fr-FR")
    svg = vlc.vegalite_to_svg(chart.spec, format_locale=locale)
    if fmt == "svg":
        return str(svg).encode()
    return bytes(vlc.svg_to_png(svg, scale=2))
