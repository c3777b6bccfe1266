"""What the documents say about a run: the figures each question publishes, in reading order,
and the wave's key messages, with the markers and differences the documents print.

Documents are written from the published rows only (never from microdata), read through the
results contract, so what a reader sees is exactly what results.parquet holds.
"""

from __future__ import annotations

from typing import Any

from observatoire.results_contract import NATIONAL, Indicator, Results, Row, formats, significant
from observatoire.studies.compute import StudyResults
from observatoire.studies.spec.model import Question, Study

UP, DOWN = "▲", "▼"
FigureRef = tuple[str, str, str | None, str]  # question code, indicator, category, label


def headline(q: Question) -> tuple[Indicator, str, str]:
    """(indicator, category, label) that sums up a single-choice question, as its key message
    and its map show it: its first group ("useful or essential"), else its first answer."""
    if q.groups:
        return Indicator.GROUP, q.groups[0].code, q.groups[0].label
    return Indicator.SHARE, q.codes[0].code, q.codes[0].label


class Findings:
    """The rows of one run, read as the documents read them."""

    def __init__(self, run: StudyResults) -> None:
        self.run = run
        self.study: Study = run.study
        self.latest = self.study.latest
        self.previous = self.study.previous(self.latest)
        self.results = Results(run.results, [w.id for w in self.study.chronology])
        region = self.study.profile_question(self.study.territory)
        self.regions = [(t.code, t.label) for t in region.codes]

    def get(self, question: str, indicator: str, category: str | None = None,
            **domain: Any) -> Row | None:  # fmt: skip
        return self.results.get(question, indicator, category, **domain)

    def estimate(self, question: str, indicator: str, category: str | None = None,
                 **domain: Any) -> float | None:  # fmt: skip
        return self.results.estimate(question, indicator, category, **domain)

    def text(self, question: str, indicator: str, category: str | None = None,
             **domain: Any) -> str:  # fmt: skip
        return formats.value(self.estimate(question, indicator, category, **domain), indicator)

    def versus_rest(self, question: str, indicator: str, category: str | None,
                    territory: str) -> str:  # fmt: skip
        """▲/▼ with the difference when a region differs significantly from the rest."""
        row = self.results.versus_rest(question, indicator, category, territory)
        if row is None or not significant(row):
            return ""
        arrow = UP if row["estimate"] > 0 else DOWN
        return f"{arrow} {formats.difference(row['estimate'], indicator)}"

    def change(self, question: str, indicator: str, category: str | None, **domain: Any) -> str:
        row = self.results.change(question, indicator, category, **domain)
        if row is None:
            return ""
        text = formats.difference(row["estimate"], indicator)
        return f"{text} *" if significant(row) else text

    # --- what a question publishes ---------------------------------------------------------

    def figures(self, q: Question) -> list[FigureRef]:
        """(question code, indicator, category, label) of q's main figures, in reading order."""
        if q.type == "scale" and q.items:
            return sorted(
                ((f"{q.code}.{t.code}", Indicator.MEAN, None, t.label) for t in q.items),
                key=lambda f: -(self.estimate(f[0], Indicator.MEAN) or 0.0),
            )
        if q.type == "single" and q.items:
            group = q.groups[0] if q.groups else None
            grid: list[FigureRef] = [
                (f"{q.code}.{t.code}", Indicator.GROUP if group else Indicator.SHARE,
                 group.code if group else q.codes[0].code, t.label)
                for t in q.items
            ]  # fmt: skip
            return sorted(grid, key=lambda f: -(self.estimate(f[0], f[1], f[2]) or 0.0))
        options = q.items if q.type == "multiple" else q.codes
        figures: list[FigureRef] = [(q.code, Indicator.SHARE, t.code, t.label) for t in options]
        return figures + [(q.code, Indicator.GROUP, g.code, g.label) for g in q.groups]

    def scale_items(
        self, q: Question, territory: str = NATIONAL, wave: str | None = None
    ) -> list[tuple[str, str, float]]:
        """(question code, label, mean) of a scale grid's items in one territory, highest first."""
        items = [
            (f"{q.code}.{t.code}", t.label,
             self.estimate(f"{q.code}.{t.code}", Indicator.MEAN, territory=territory, wave=wave))
            for t in q.items
        ]  # fmt: skip
        return sorted(
            ((c, label, m) for c, label, m in items if m is not None), key=lambda x: -x[2]
        )

    def messages(self) -> list[str]:
        """The wave's key messages, one per question, derived from the figures."""
        study, wave = self.study, self.latest.id
        ordered = sorted(
            study.published_questions(wave),
            key=lambda q: {"scale": 0, "single": 1 if not q.items else 2}.get(q.type, 3),
        )
        return [m for m in (self._message(q) for q in ordered) if m]

    def _message(self, q: Question) -> str:
        if q.type == "scale" and q.items:
            items = self.scale_items(q)
            top, second = items[0], items[1]
            text = (f"{q.short_label} : « {top[1]} » arrive en tête ({formats.mark(top[2])}/10), "
                    f"devant « {second[1]} » ({formats.mark(second[2])}).")  # fmt: skip
            if self.previous is not None:
                before = self.scale_items(q, wave=self.previous.id)
                if before and before[0][0] != top[0]:
                    rank = next(i for i, it in enumerate(items, 1) if it[0] == before[0][0])
                    text += (f" En {self.previous.year}, « {before[0][1]} » était en tête "
                             f"(aujourd'hui au {formats.ordinal(rank)} rang).")  # fmt: skip
            return text
        if q.type == "single" and not q.items:
            figure = headline(q)
            value = self.estimate(q.code, figure[0], figure[1])
            if value is None:
                return ""
            regional = self.by_region(q.code, figure[0], figure[1])
            best = max(regional, key=lambda x: x[1]) if regional else None
            text = f"{q.short_label} : « {figure[2]} » pour {formats.percent(value)} des répondants"
            if best is not None:
                text += f" ({best[0]} : {formats.percent(best[1])})"
            return text + "."
        if q.type == "single" and q.items and q.groups:
            figures = self.figures(q)
            code, indicator, category, label = figures[0]
            value = self.estimate(code, indicator, category)
            return (f"{q.short_label} : « {label} » en tête, {formats.percent(value)} "
                    f"« {q.groups[0].label.lower()} ».")  # fmt: skip
        return ""

    def by_region(
        self, question: str, indicator: str, category: str | None
    ) -> list[tuple[str, float]]:
        """(region name, estimate) of one figure in every region that has it."""
        pairs = [
            (label, self.estimate(question, indicator, category, territory=code))
            for code, label in self.regions
        ]
        return [(label, v) for label, v in pairs if v is not None]
