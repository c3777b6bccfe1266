"""Charts of published figures for the pages: Vega-Lite specs built from the API's own rows.

Every chart is made from a selection (`selection.select`), so its CSV is the API's CSV of the
same rows, and its table on the page shows the same figures. Each estimate is drawn with its
confidence interval; a difference is marked (▲ ▼, bold) only where the pipeline flagged it
significant; domains are told apart by their names and shapes, never by colour alone. Specs are
rendered offline by vl-convert (SVG, and PNG from the SVG) and cached (`rendering`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from observatoire import territory
from observatoire.chartstyle import BAND_COLOURS, CONFIG, INK, centre
from observatoire.platform.results import published
from observatoire.platform.results.domains import Place, domains, size_label
from observatoire.platform.results.headlines import Headline, headlines_of
from observatoire.platform.results.memo import Memo
from observatoire.platform.results.selection import (
    ALL_WAVES,
    PREVIOUS_WAVE,
    REST,
    Query,
    select,
    size_profile,
)
from observatoire.results_contract import NATIONAL, Indicator, formats, is_mean

MUTED = "#6b7080"
TITLE_WIDTH, SUBTITLE_WIDTH = 60, 95  # characters a line (titles do not wrap by themselves)
OWN = "#1f3f7a"  # the place's own domain
OTHER = "#7d9ccc"
SHAPES = ("circle", "square", "diamond", "triangle-up")
SERIES_COLOURS = [OWN, "#c0392b", MUTED, "#2f7d5b"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Chart:
    """A chart: its spec, and the rows it draws (for its table and its CSV)."""

    name: str  # kind of chart, as in its address: fragilites, sante, jouer-collectif…
    title: str
    description: str  # what it shows, in one sentence (the image's text alternative)
    spec: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    study: str = ""
    synthetic: bool = False


def domain_name(row: Row, language: str, *, short: bool = False) -> str:
    """Whose figure: "Île-de-France", "Communes de 20 000 à 50 000 habitants" (short:
    "Communes de 20 000 à 50 000 hab."), "France"."""
    if row["territory"] != NATIONAL:
        return territory.study_region_name(row["territory"])
    if row["profile"] is None:
        return "France"
    if row["reading"] == "size_class":
        label = size_label(row["profile_level"], language)
        return (
            label.replace(" habitants", " hab.").replace(" inhabitants", " inhab.")
            if short
            else label
        )
    return f"{row['profile']} : {row['profile_level']}"


def item_label(row: Row) -> str:
    """A grid item's own label ("Santé"), or the answer's ("Dynamique")."""
    if row["category_label"] and row["indicator"] not in (Indicator.BAND,):
        return str(row["category_label"])
    label = str(row["question_label"])
    return label.split(" : ", 1)[1] if " : " in label else label


def significance(row: Row, reference: str) -> str:
    """ "▲" or "▼" when the row's comparison with `reference` is significant, else ""."""
    for comparison in row.get("comparisons", ()):
        if comparison["reference"] == reference and comparison["significant"]:
            return "▲" if (comparison["difference"] or 0) > 0 else "▼"
    return ""


def _footer(study: published.PublishedStudy, wave: str, language: str) -> str:
    source = _("Source : étude %(title)s, vague %(wave)s.") % {"title": study.title, "wave": wave}
    if study.synthetic:
        source += " " + _("Répondants synthétiques (démonstration).")
    return source


def _frame(
    spec: dict[str, Any], title: str, subtitle: Sequence[str], narrow: bool = False
) -> dict[str, Any]:
    width = SUBTITLE_WIDTH // 2 + 5 if narrow else SUBTITLE_WIDTH
    lines = [line for text in subtitle for line in textwrap.wrap(text, width)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {
            "text": textwrap.wrap(title, TITLE_WIDTH // 2 if narrow else TITLE_WIDTH),
            "subtitle": lines,
        },
        "config": {**CONFIG, "title": {**CONFIG["title"], "subtitleFontSize": 11}},
        "background": "white",
        "padding": 10,
        **spec,
    }


def _value_labels(dx: int, size: int) -> dict[str, Any]:
    """A layer writing each figure after its interval, bold where the difference is
    significant."""
    bold = {"condition": {"test": "datum.significant", "value": "bold"}, "value": "normal"}
    return {
        "mark": {"type": "text", "align": "left", "dx": dx, "fontSize": size},
        "encoding": {
            "x": {"field": "ci_high", "type": "quantitative"},
            "text": {"field": "text"},
            "fontWeight": bold,
        },
    }


def _value_text(value: float | None, indicator: str, language: str) -> str:
    return formats.value(value, indicator, language=language)


def _points(
    rows: list[Row], language: str, *, label: str, group: str, short: bool = False
) -> list[dict[str, Any]]:
    """Rows as chart data: estimate, interval, a formatted label with its significance mark."""
    out = []
    for row in rows:
        if row["estimate"] is None:
            continue
        mark = significance(row, REST)
        out.append(
            {
                label: item_label(row),
                group: domain_name(row, language, short=short),
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "text": f"{_value_text(row['estimate'], row['indicator'], language)}"
                f"{' ' + mark if mark else ''}",
                "significant": bool(mark),
                "own": row["reading"] != "france",
            }
        )
    return out


def fragilities(
    study: published.PublishedStudy, where: Place, language: str, narrow: bool = False
) -> Chart | None:
    """The fragilities of the place's first domain, ranked: bands of marks (1–5, 6–7, 8–10),
    the mean with its interval, France's mean beside it."""
    heads = headlines_of(study)
    if heads.fragilities is None:
        return None
    chosen = select(Query(study=study.code, question=heads.fragilities), where)
    first = domains(where, None)[0]
    mine = [r for r in chosen.rows if r["territory"] == first.territory and r["profile"] is None]
    france = {
        r["question"]: r
        for r in chosen.rows
        if r["reading"] == "france" and r["indicator"] == Indicator.MEAN
    }
    means = sorted(
        (r for r in mine if r["indicator"] == Indicator.MEAN), key=lambda r: -(r["estimate"] or 0)
    )
    if not means:
        return None
    order = [item_label(r) for r in means]
    bands = [
        {
            "item": item_label(r),
            "band": r["category_label"],
            "order": r["position"],
            "share": r["estimate"] or 0.0,
            "label": formats.percent(r["estimate"], language=language)
            if (r["estimate"] or 0) >= 0.12
            else "",
        }
        for r in mine
        if r["indicator"] == Indicator.BAND
    ]
    points = _points(means, language, label="item", group="domain")
    for point, row in zip(points, means, strict=True):
        reference = france.get(row["question"])
        point["france"] = None if reference is None or reference is row else reference["estimate"]
    extent = [p[k] for p in points for k in ("ci_low", "ci_high", "france") if p[k] is not None]
    low, high = min(extent), max(extent)
    y = {"field": "item", "type": "nominal", "sort": order, "title": None}
    band_names = list(dict.fromkeys(b["band"] for b in sorted(bands, key=lambda b: b["order"])))
    spec = {
        "hconcat": [
            {
                "width": 110 if narrow else 170,
                "height": {"step": 20},
                "data": {"values": bands},
                "layer": [
                    {
                        "mark": {"type": "bar", "height": {"band": 0.75}},
                        "encoding": {
                            "y": {
                                **y,
                                "axis": {"labelLimit": 125 if narrow else 210, "labelPadding": 4},
                            },
                            "x": {
                                "field": "share",
                                "type": "quantitative",
                                "stack": "normalize",
                                "axis": None,
                            },
                            "color": {
                                "field": "band",
                                "type": "nominal",
                                "sort": band_names,
                                "scale": {"range": BAND_COLOURS},
                                "legend": {
                                    "title": None,
                                    "orient": "top",
                                    "direction": "vertical" if narrow else "horizontal",
                                },
                            },
                            "order": {"field": "order"},
                        },
                    },
                    {
                        "mark": {"type": "text", "dx": -3, "align": "right", "fontSize": 10},
                        "encoding": {
                            "y": y,
                            "x": {"field": "share", "type": "quantitative", "stack": "normalize"},
                            "text": {"field": "label"},
                            "order": {"field": "order"},
                            "color": {
                                "condition": {
                                    "test": f"datum.band == '{band_names[-1]}'",
                                    "value": "white",
                                },
                                "value": INK,
                            },
                        },
                    },
                ],
            },
            {
                "width": 85 if narrow else 150,
                "height": {"step": 20},
                "data": {"values": points},
                "encoding": {"y": {**y, "axis": None}},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": OWN, "strokeWidth": 2},
                        "encoding": {
                            "x": {
                                "field": "ci_low",
                                "type": "quantitative",
                                "scale": {"domain": [low - 0.1, high + 0.1], "zero": False},
                                "axis": {
                                    "title": _("Moyenne /10"),
                                    "grid": True,
                                    "orient": "top",
                                    "tickCount": 2 if narrow else 4,
                                },
                            },
                            "x2": {"field": "ci_high"},
                        },
                    },
                    {
                        "mark": {"type": "tick", "color": MUTED, "thickness": 2, "size": 14},
                        "encoding": {"x": {"field": "france", "type": "quantitative"}},
                    },
                    {
                        "mark": {"type": "point", "filled": True, "color": OWN, "size": 45},
                        "encoding": {"x": {"field": "estimate", "type": "quantitative"}},
                    },
                ],
            },
            {
                "width": 40 if narrow else 50,
                "height": {"step": 20},
                "data": {"values": points},
                "mark": {"type": "text", "align": "left", "fontSize": 11},
                "encoding": {
                    "y": {**y, "axis": None},
                    "text": {"field": "text"},
                    "x": {"value": 0},
                    "fontWeight": {
                        "condition": {"test": "datum.significant", "value": "bold"},
                        "value": "normal",
                    },
                },
            },
        ],
        "spacing": 4,
    }
    name = domain_name(means[0], language)
    title = _("Fragilités du territoire : %(place)s") % {"place": name}
    subtitle = [
        _(
            "Barres : part des notes ; point : moyenne /10 et son intervalle de confiance à 95 % ;"
            " trait gris : France ; ▲ ▼ : écart significatif avec le reste de la France."
        ),
        _footer(study, study.latest_wave, language),
    ]
    top = ", ".join(order[:3])
    description = _(
        "Les fragilités notées par les habitants (%(place)s), de la plus forte à la "
        "plus faible : d'abord %(top)s."
    ) % {"place": name, "top": top}
    rows = [
        *means,
        *(r for r in mine if r["indicator"] == Indicator.BAND),
        *(france[r["question"]] for r in means if france.get(r["question"]) not in (None, r)),
    ]
    return Chart(
        "fragilites",
        title,
        description,
        _frame(spec, title, subtitle, narrow),
        rows,
        study.code,
        study.synthetic,
    )


def shares_by_domain(
    study: published.PublishedStudy,
    where: Place,
    language: str,
    question: str,
    name: str,
    narrow: bool = False,
) -> Chart | None:
    """A single-choice question's answers (and nets) for each of the place's domains."""
    chosen = select(Query(study=study.code, question=question), where)
    rows = [r for r in chosen.rows if r["indicator"] in (Indicator.SHARE, Indicator.GROUP)]
    if not rows:
        return None
    points = _points(rows, language, label="answer", group="domain", short=narrow)
    answers = list(dict.fromkeys(p["answer"] for p in points))
    names = list(dict.fromkeys(p["domain"] for p in points))
    spec = {
        "data": {"values": points},
        "facet": {
            "row": {
                "field": "answer",
                "type": "nominal",
                "sort": answers,
                "header": {
                    "title": None,
                    "labelAngle": 0,
                    "labelOrient": "top",
                    "labelAnchor": "start",
                    "labelFontWeight": "bold",
                    "labelFontSize": 12,
                    "labelPadding": 2,
                },
            }
        },
        "spacing": 6,
        "spec": {
            "width": 100 if narrow else 220,
            "height": {"step": 17},
            "encoding": {
                "y": {
                    "field": "domain",
                    "type": "nominal",
                    "sort": names,
                    "title": None,
                    "axis": {"labelLimit": 200 if narrow else 230, "labelPadding": 4},
                }
            },
            "layer": [
                {
                    "mark": {"type": "bar", "height": {"band": 0.7}},
                    "encoding": {
                        "x": {
                            "field": "estimate",
                            "type": "quantitative",
                            "scale": {"domain": [0, 1]},
                            "axis": None,
                        },
                        "color": {"condition": {"test": "datum.own", "value": OWN}, "value": OTHER},
                    },
                },
                {
                    "mark": {"type": "rule", "color": INK, "strokeWidth": 1.2},
                    "encoding": {
                        "x": {"field": "ci_low", "type": "quantitative"},
                        "x2": {"field": "ci_high"},
                    },
                },
                _value_labels(dx=4, size=11),
            ],
        },
    }
    label = str(rows[0]["question_label"])
    title = label  # the territories are on the chart: it is the same for every commune of them
    subtitle = [
        _(
            "Part des répondants et intervalle de confiance à 95 % ; ▲ ▼ : écart significatif "
            "avec le reste de la France (région) ou des autres communes (taille)."
        ),
        _footer(study, study.latest_wave, language),
    ]
    description = _("%(question)s, réponses par territoire : %(places)s.") % {
        "question": label,
        "places": ", ".join(names),
    }
    return Chart(
        name,
        title,
        description,
        _frame(spec, title, subtitle, narrow),
        rows,
        study.code,
        study.synthetic,
    )


def waves(
    study: published.PublishedStudy,
    where: Place,
    language: str,
    figures: Sequence[Headline],
    narrow: bool = False,
) -> Chart | None:
    """Headline figures wave after wave, for each of the place's domains (several waves only)."""
    if len(study.results.waves) < 2 or not figures:
        return None
    rows = []
    for figure in figures:
        chosen = select(
            Query(
                study=study.code,
                question=figure.question,
                indicator=figure.indicator,
                wave=ALL_WAVES,
            ),
            where,
        )
        rows += [r for r in chosen.rows if r["category"] == figure.category]
    if not rows:
        return None
    years = {str(w.get("id")): str(w.get("year") or w.get("id")) for w in study.meta["waves"]}
    points = []
    for row in rows:
        mark = significance(row, PREVIOUS_WAVE)
        points.append(
            {
                "figure": item_label(row)
                if row["indicator"] != Indicator.GROUP
                else str(row["category_label"]),
                "domain": domain_name(row, language),
                "wave": years.get(row["wave"], row["wave"]),
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "text": formats.value(row["estimate"], row["indicator"], language=language)
                + (f" {mark}" if mark else ""),
            }
        )
    names = list(dict.fromkeys(p["domain"] for p in points))
    domain_encoding = {"field": "domain", "type": "nominal", "sort": names, "title": None}
    legend = {"orient": "bottom", "direction": "vertical"}
    spec = {
        "data": {"values": points},
        "facet": {
            ("row" if narrow else "column"): {
                "field": "figure",
                "type": "nominal",
                "title": None,
                "header": {"labelFontWeight": "bold", "labelFontSize": 12, "labelLimit": 220},
            }
        },
        "spec": {
            "width": 260 if narrow else 200,
            "height": 150 if narrow else 170,
            "encoding": {
                "x": {"field": "wave", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
                "color": {**domain_encoding, "scale": {"range": SERIES_COLOURS}, "legend": None},
            },
            "layer": [
                {
                    "mark": {"type": "line", "strokeWidth": 2},
                    "encoding": {
                        "y": {
                            "field": "estimate",
                            "type": "quantitative",
                            "axis": {"format": ".0%", "title": None, "grid": True},
                        },
                        "strokeDash": {**domain_encoding, "legend": None},
                    },
                },
                {
                    "mark": {"type": "rule", "strokeWidth": 1.2},
                    "encoding": {
                        "y": {"field": "ci_low", "type": "quantitative"},
                        "y2": {"field": "ci_high"},
                    },
                },
                {
                    "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                    "encoding": {
                        "y": {"field": "estimate", "type": "quantitative"},
                        # one legend: colour and shape of the same field, legend alike
                        "color": {**domain_encoding, "legend": legend},
                        "shape": {
                            **domain_encoding,
                            "scale": {"range": list(SHAPES)},
                            "legend": legend,
                        },
                    },
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
    }
    title = _("D'une vague à l'autre")
    subtitle = [
        _(
            "Part des répondants et intervalle de confiance à 95 % ; ▲ ▼ : évolution "
            "significative depuis la vague précédente."
        ),
        _footer(study, study.latest_wave, language),
    ]
    description = _(
        "Évolution de %(figures)s d'une vague à l'autre (%(waves)s) pour %(places)s."
    ) % {
        "figures": ", ".join(dict.fromkeys(p["figure"] for p in points)),
        "waves": ", ".join(years.get(w, w) for w in study.results.waves),
        "places": ", ".join(names),
    }
    return Chart(
        "vagues",
        title,
        description,
        _frame(spec, title, subtitle, narrow),
        rows,
        study.code,
        study.synthetic,
    )


HEADLINE = (Indicator.MEAN, Indicator.SHARE, Indicator.GROUP)  # as the results pages' lines


def _section_rows(
    study: published.PublishedStudy, where: Place, question: str, wave: str | None = None
) -> list[Row]:
    """The results pages' lines of one question (a grid: all its items) for a place."""
    chosen = select(Query(study=study.code, question=question, wave=wave), where)
    return [r for r in chosen.rows if r["indicator"] in HEADLINE]


def _dots(
    points: list[dict[str, Any]], order: list[str], share: bool, narrow: bool, *, group: str
) -> dict[str, Any]:
    """Figures as dots with their intervals, one row a line, each series its own shape."""
    extent = [p[k] for p in points for k in ("ci_low", "ci_high") if p[k] is not None]
    low, high = (
        (0.0, min(1.0, max(extent) + 0.05)) if share else (min(extent) - 0.2, max(extent) + 0.2)
    )
    names = list(dict.fromkeys(p[group] for p in points))
    series = {"field": group, "type": "nominal", "sort": names, "title": None}
    legend = None if len(names) < 2 else {"orient": "top", "direction": "horizontal"}
    return {
        "width": 150 if narrow else 240,
        "height": {"step": 16 if len(names) < 2 else 22},
        "data": {"values": points},
        "encoding": {
            "y": {
                "field": "line",
                "type": "nominal",
                "sort": order,
                "title": None,
                "axis": {"labelLimit": 170 if narrow else 260, "labelPadding": 4},
            },
            "yOffset": {**series, "scale": {"paddingOuter": 0.3}},
        },
        "layer": [
            {
                "mark": {"type": "rule", "strokeWidth": 1.5},
                "encoding": {
                    "x": {
                        "field": "ci_low",
                        "type": "quantitative",
                        "scale": {"domain": [low, high], "zero": False},
                        "axis": {
                            "format": ".0%" if share else ".1f",
                            "grid": True,
                            "title": None,
                            "orient": "top",
                            "tickCount": 3 if narrow else 5,
                        },
                    },
                    "x2": {"field": "ci_high"},
                    "color": {**series, "scale": {"range": SERIES_COLOURS}, "legend": None},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 55, "opacity": 1},
                "encoding": {
                    "x": {"field": "estimate", "type": "quantitative"},
                    "color": {**series, "legend": legend},
                    "shape": {**series, "scale": {"range": list(SHAPES)}, "legend": legend},
                },
            },
            _value_labels(dx=6, size=10),
        ],
    }


def _order(rows: list[Row]) -> list[str]:
    """The lines in the table's order: a grid of marks by its first series' means."""
    from observatoire.platform.results.readings import line_label

    if rows and all(r["indicator"] == Indicator.MEAN for r in rows):
        first = rows[0]["territory"], rows[0]["wave"]
        own = [r for r in rows if (r["territory"], r["wave"]) == first]
        return [line_label(r) for r in sorted(own, key=lambda r: -(r["estimate"] or 0))]
    return list(dict.fromkeys(line_label(r) for r in rows))


def question(
    study: published.PublishedStudy, where: Place, code: str, language: str, narrow: bool = False
) -> Chart | None:
    """One question of a results page: the place's figures with their intervals, beside France's
    (a region) or the previous wave's (France), as the table beside it reads them."""
    from observatoire.platform.results.readings import line_label

    national = where.kind == "country"
    rows = _section_rows(study, where, code, wave=ALL_WAVES if national else None)
    if national:
        keep = {study.latest_wave, study.previous_wave}
        rows = [r for r in rows if r["wave"] in keep and r["profile"] is None]
    else:
        rows = [r for r in rows if r["profile"] is None]
    if not rows:
        return None
    reference = PREVIOUS_WAVE if national else REST
    points = []
    for row in rows:
        if row["estimate"] is None:
            continue
        mark = significance(row, reference) if row["wave"] == study.latest_wave else ""
        series = row["wave"] if national else domain_name(row, language)
        points.append(
            {
                "line": line_label(row),
                "series": series,
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "text": _value_text(row["estimate"], row["indicator"], language)
                + (f" {mark}" if mark else ""),
                "significant": bool(mark),
            }
        )
    share = not is_mean(rows[0]["indicator"])
    spec = _dots(points, _order(rows), share, narrow, group="series")
    label = str(rows[0]["question_label"]).split(" : ", 1)[0]
    title = f"{label} : {where.name}"
    against = (
        _("▲ ▼ : évolution significative depuis la vague précédente.")
        if national
        else _("▲ ▼ : écart significatif avec le reste de la France.")
    )
    subtitle = [
        _("Estimation et intervalle de confiance à 95 %.") + " " + against,
        _footer(study, study.latest_wave, language),
    ]
    description = _(
        "%(question)s : les chiffres de %(place)s et leurs intervalles de confiance."
    ) % {"question": label, "place": where.name}
    return Chart(
        "question",
        title,
        description,
        _frame(spec, title, subtitle, narrow),
        rows,
        study.code,
        study.synthetic,
    )


def comparison(
    study: published.PublishedStudy,
    first: Place,
    second: Place,
    code: str,
    language: str,
    narrow: bool = False,
) -> Chart | None:
    """One question for two study regions side by side, with their intervals (each region's
    marks say how it differs from the rest of France; the two are not tested against each
    other)."""
    from observatoire.platform.results.readings import line_label

    rows = []
    for where in (first, second):
        rows += [
            r
            for r in _section_rows(study, where, code)
            if r["territory"] == where.study_region and r["profile"] is None
        ]
    if not rows:
        return None
    points = [
        {
            "line": line_label(r),
            "series": domain_name(r, language),
            "estimate": r["estimate"],
            "ci_low": r["ci_low"],
            "ci_high": r["ci_high"],
            "text": _value_text(r["estimate"], r["indicator"], language)
            + (f" {m}" if (m := significance(r, REST)) else ""),
            "significant": bool(m),
        }
        for r in rows
        if r["estimate"] is not None
    ]
    share = not is_mean(rows[0]["indicator"])
    spec = _dots(points, _order(rows), share, narrow, group="series")
    label = str(rows[0]["question_label"]).split(" : ", 1)[0]
    title = _("%(question)s : %(first)s et %(second)s") % {
        "question": label,
        "first": first.name,
        "second": second.name,
    }
    subtitle = [
        _(
            "Estimation et intervalle de confiance à 95 % ; ▲ ▼ : écart significatif de la "
            "région avec le reste de la France."
        ),
        _footer(study, study.latest_wave, language),
    ]
    description = _("%(question)s : les chiffres de deux régions côte à côte.") % {
        "question": label
    }
    return Chart(
        "comparaison",
        title,
        description,
        _frame(spec, title, subtitle, narrow),
        rows,
        study.code,
        study.synthetic,
    )


PORTRAIT = ("fragilites", "sante", "jouer-collectif", "vagues")


_built: Memo[Chart | None] = Memo(512)  # portrait charts kept per process


def portrait_chart(
    study: published.PublishedStudy, where: Place, language: str, kind: str, narrow: bool = False
) -> Chart | None:
    """One of a portrait's charts, if the study can draw it: fragilities, health of the
    territory, « jouer collectif », and their series over the waves. A chart depends on the
    place's domains only (every commune of a region and size class has the same ones), so it
    is built once per publication and domains."""
    key = (study.uid, kind, tuple(domains(where, size_profile(study))), language, narrow)
    return _built.get(key, lambda: _portrait_chart(study, where, language, kind, narrow))


def _portrait_chart(
    study: published.PublishedStudy, where: Place, language: str, kind: str, narrow: bool
) -> Chart | None:
    heads = headlines_of(study)
    if kind == "fragilites":
        return fragilities(study, where, language, narrow)
    if kind == "sante" and heads.health:
        return shares_by_domain(study, where, language, heads.health, kind, narrow)
    if kind == "jouer-collectif" and heads.collective_play:
        return shares_by_domain(study, where, language, heads.collective_play, kind, narrow)
    if kind == "vagues":
        series = [
            heads.net(heads.collective_play) if heads.collective_play else None,
            heads.first_share(heads.health) if heads.health else None,
        ]
        return waves(study, where, language, [h for h in series if h is not None], narrow)
    return None


def portrait_charts(study: published.PublishedStudy, where: Place, language: str) -> list[Chart]:
    charts = (portrait_chart(study, where, language, kind) for kind in PORTRAIT)
    return [c for c in charts if c is not None]


def region_map(
    study: published.PublishedStudy, figure: Headline, language: str, narrow: bool = False
) -> Chart | None:
    """A figure by study region on the map of the 13 metropolitan regions (Corse with PACA):
    shades and, on every region, its value (with ▲ ▼ where it differs significantly from the
    rest of France), so that the map reads without colour."""
    chosen = select(Query(study=study.code, question=figure.question, indicator=figure.indicator))
    rows = sorted(
        (r for r in chosen.rows if r["category"] == figure.category and r["profile"] is None),
        key=lambda r: (r["territory"] == NATIONAL, -(r["estimate"] or 0)),
    )  # highest first, France last
    by_region = {r["territory"]: r for r in rows}
    if not any(code != NATIONAL for code in by_region):
        return None
    shapes = territory.region_shapes()
    features = [f for f in shapes["features"] if f["properties"]["zone"] == "metro"]
    values = [r["estimate"] for code, r in by_region.items() if code != NATIONAL and r["estimate"]]
    middle = (min(values) + max(values)) / 2 if values else 0.0
    labels = []
    for feature in features:
        code = territory.study_region_of(feature["properties"]["code"])
        row = by_region.get(code)
        value = None if row is None else row["estimate"]
        feature["properties"]["value"] = value
        if code != feature["properties"]["code"] or row is None:
            continue  # Corse: one label, on the study region's main region
        lon, lat = centre(feature["geometry"])
        mark = significance(row, REST)
        labels.append(
            {
                "lon": lon,
                "lat": lat,
                "ink": "white" if (value or 0) > middle else INK,
                "label": _value_text(value, figure.indicator, language)
                + (f" {mark}" if mark else ""),
            }
        )
    share = not is_mean(figure.indicator)
    spec = {
        "width": 330 if narrow else 380,
        "height": 330 if narrow else 380,
        "projection": {"type": "conicConformal", "parallels": [44, 49], "rotate": [-3, 0]},
        "layer": [
            {
                "data": {"values": features},
                "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 1.2},
                "encoding": {
                    "color": {
                        "field": "properties.value",
                        "type": "quantitative",
                        "title": figure.label,
                        "scale": {"scheme": "blues"},
                        "legend": {
                            "format": ".0%" if share else ".1f",
                            "orient": "bottom",
                            "direction": "horizontal",
                            "gradientLength": 200,
                        },
                    }
                },
            },
            {
                "data": {"values": labels},
                "mark": {"type": "text", "fontWeight": "bold", "fontSize": 12},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "text": {"field": "label"},
                    "color": {
                        "condition": {"test": "datum.ink == 'white'", "value": "white"},
                        "value": INK,
                    },
                },
            },
        ],
    }
    national = by_region.get(NATIONAL)
    question = str(rows[0]["question_label"])
    title = f"{question} : {figure.label}"
    subtitle = [
        _(
            "Par région d'étude ; France : %(value)s ; ▲ ▼ : écart significatif avec le reste de "
            "la France."
        )
        % {
            "value": _value_text(
                national["estimate"] if national else None, figure.indicator, language
            )
        },
        _footer(study, study.latest_wave, language),
    ]
    description = _("Carte des régions : %(figure)s, de %(low)s à %(high)s selon la région.") % {
        "figure": f"{question} — {figure.label}",
        "low": _value_text(min(values) if values else None, figure.indicator, language),
        "high": _value_text(max(values) if values else None, figure.indicator, language),
    }
    return Chart(
        "carte",
        title,
        description,
        _frame(spec, title, subtitle, narrow),
        rows,
        study.code,
        study.synthetic,
    )


@dataclass(frozen=True)
class TableRow:
    figure: str
    domain: str
    value: str
    interval: str
    base: str
    mark: str  # ▲ ▼ against the rest (regions, profile levels) or the previous wave (France)


def table(chart: Chart, language: str) -> list[TableRow]:
    """The chart's figures as the lines of its data table."""
    out = []
    latest = max((r["wave"] for r in chart.rows), default="")
    for row in chart.rows:
        indicator = row["indicator"]
        figure = item_label(row)
        if indicator == Indicator.BAND:
            figure = f"{figure} : {row['category_label']}"
        wave = "" if row["wave"] == latest else f" ({row['wave']})"
        out.append(
            TableRow(
                figure=figure + wave,
                domain=domain_name(row, language),
                value=_value_text(row["estimate"], indicator, language),
                interval=""
                if row["ci_low"] is None
                else f"{_value_text(row['ci_low'], indicator, language)} – "
                f"{_value_text(row['ci_high'], indicator, language)}",
                base=formats.count(row["n"], language=language),
                mark=significance(row, REST if row["reading"] != "france" else PREVIOUS_WAVE),
            )
        )
    return out
