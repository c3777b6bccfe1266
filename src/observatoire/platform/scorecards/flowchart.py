"""The "des actifs aux enjeux" flow chart: pillars → assets → objectives → stakes, as inline SVG.

Four columns of labelled boxes joined by curves. It reads without colour: every box carries its
text, and the curves of each objective have their own dash pattern, named in the legend. The
page shows the same pathways as a table, which is what screen readers and phones read first.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from observatoire import vocabularies as v
from observatoire.platform.scorecards.models import Asset, Pathway, Stake

COLUMN_WIDTH = 180
GAP = 70
BOX_LINE = 15  # px per line of text
BOX_PAD = 8
ROW_GAP = 14
TOP = 40  # room for the column titles
CHARS = 24  # characters per line inside a box
# One dash pattern per objective, in the vocabulary's order; plain lines join pillars to assets.
DASHES = ("10 4 2 4", "16 4 2 4 2 4", "2 4", "10 5")


@dataclass
class Box:
    key: str
    lines: list[str]
    column: int
    y: float = 0.0

    @property
    def x(self) -> int:
        return self.column * (COLUMN_WIDTH + GAP)

    @property
    def height(self) -> float:
        return len(self.lines) * BOX_LINE + 2 * BOX_PAD

    @property
    def rows(self) -> list[tuple[float, str]]:
        """(baseline y, text) of each line of the label."""
        return [(self.y + BOX_PAD + (i + 1) * BOX_LINE - 3, t) for i, t in enumerate(self.lines)]

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Curve:
    path: str
    dash: str
    title: str


@dataclass
class Chart:
    width: int
    height: float
    titles: list[tuple[float, str]]
    boxes: list[Box] = field(default_factory=list)
    curves: list[Curve] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (dash, objective label)
    box_width: int = COLUMN_WIDTH


def _wrap(text: str, width: int = CHARS, lines: int = 4) -> list[str]:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1 :]), width)]
    return wrapped


def _stack(boxes: list[Box], height: float) -> None:
    """Spread a column's boxes over the chart's height, centred."""
    used = sum(b.height for b in boxes) + ROW_GAP * max(len(boxes) - 1, 0)
    y = TOP + (height - TOP - used) / 2
    for box in boxes:
        box.y = y
        y += box.height + ROW_GAP


def _curve(a: Box, b: Box) -> str:
    x1, y1 = a.x + COLUMN_WIDTH, a.middle
    x2, y2 = b.x, b.middle
    bend = GAP / 2
    return (
        f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    )


def build(
    assets: list[Asset], stakes: list[Stake], pathways: list[Pathway], language: str = "fr"
) -> Chart:
    """The chart of a scorecard (column titles in `language`)."""
    pillars = [p for p in v.PILLARS if any(a.pillar == p.code for a in assets)]
    objectives = [o for o in v.OBJECTIVES if any(p.objective == o.code for p in pathways)]
    columns: list[list[Box]] = [
        [Box(f"pillar-{p.code}", _wrap(p.label(language)), 0) for p in pillars],
        [
            Box(f"asset-{a.pk}", _wrap(a.description + (f" ({a.partner})" if a.partner else "")), 1)
            for a in sorted(assets, key=lambda a: v.PILLARS.codes.index(a.pillar))
        ],
        [Box(f"objective-{o.code}", _wrap(o.label(language)), 2) for o in objectives],
        [Box(f"stake-{s.pk}", _wrap(s.statement), 3) for s in stakes],
    ]
    height = TOP + max(
        (sum(b.height for b in col) + ROW_GAP * max(len(col) - 1, 0) for col in columns),
        default=0,
    )
    for column in columns:
        _stack(column, height)
    by_key = {b.key: b for column in columns for b in column}
    titles = {"fr": ("Piliers", "Actifs", "Objectifs", "Enjeux communs"),
              "en": ("Pillars", "Assets", "Objectives", "Common stakes")}  # fmt: skip
    chart = Chart(
        width=4 * COLUMN_WIDTH + 3 * GAP,
        height=height + 10,
        titles=[
            (i * (COLUMN_WIDTH + GAP), title)
            for i, title in enumerate(titles["en" if language.startswith("en") else "fr"])
        ],
        boxes=[b for column in columns for b in column],
    )
    dash = {o.code: DASHES[v.OBJECTIVES.codes.index(o.code) % len(DASHES)] for o in objectives}
    chart.legend = [(dash[o.code], o.label(language)) for o in objectives]
    for asset in assets:
        pillar, box = by_key[f"pillar-{asset.pillar}"], by_key[f"asset-{asset.pk}"]
        chart.curves.append(Curve(_curve(pillar, box), "", f"{pillar.lines[0]} → {asset}"))
    drawn = set()
    for pathway in pathways:
        source = by_key[f"asset-{pathway.asset_id}"]
        objective = by_key[f"objective-{pathway.objective}"]
        target = by_key[f"stake-{pathway.stake_id}"]
        label = v.OBJECTIVES[pathway.objective].label(language)
        title = f"{pathway.asset} → {label} → {pathway.stake}"
        chart.curves.append(Curve(_curve(source, objective), dash[pathway.objective], title))
        if (objective.key, target.key) not in drawn:
            drawn.add((objective.key, target.key))
            chart.curves.append(Curve(_curve(objective, target), dash[pathway.objective], title))
    return chart
