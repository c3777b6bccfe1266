"""Reading the tidy results back for the documents: lookups, tables and the wave's messages.

Documents are written from the published results only (never from microdata), so what a
reader sees is exactly what results.parquet holds.
"""

from __future__ import annotations

from typing import Any

from observatoire.studies import formats
from observatoire.studies.compute import NATIONAL, StudyResults
from observatoire.studies.model import Question, Study

UP, DOWN = "▲", "▼"
FigureRef = tuple[str, str, str | None, str]  # question code, indicator, category, label


class ResultsView:
    """Indexed access to the results of one run, for the documents."""

    def __init__(self, run: StudyResults) -> None:
        self.run = run
        self.study: Study = run.study
        self.latest = self.study.latest
        self.previous = self.study.previous(self.latest)
        self._index: dict[tuple[Any, ...], dict[str, Any]] = {
            (r["wave"], r["question"], r["indicator"], r["category"], r["territory"],
             r["profile"], r["profile_level"]): r
            for r in run.results.iter_rows(named=True)
        }  # fmt: skip
        region = self.study.profile_question(self.study.territory)
        self.regions = [(t.code, t.label) for t in region.codes]

    def get(
        self,
        question: str,
        indicator: str,
        category: str | None = None,
        *,
        wave: str | None = None,
        territory: str = NATIONAL,
        profile: str | None = None,
        level: str | None = None,
    ) -> dict[str, Any] | None:
        key = (wave or self.latest.id, question, indicator, category, territory, profile, level)
        return self._index.get(key)

    def estimate(self, question: str, indicator: str, category: str | None = None,
                 **where: Any) -> float | None:  # fmt: skip
        row = self.get(question, indicator, category, **where)
        return None if row is None else row["estimate"]

    def text(self, question: str, indicator: str, category: str | None = None,
             **where: Any) -> str:  # fmt: skip
        return formats.value(self.estimate(question, indicator, category, **where), indicator)

    def versus_rest(self, question: str, indicator: str, category: str | None,
                    territory: str) -> str:  # fmt: skip
        """▲/▼ with the difference when a region differs significantly from the rest."""
        row = self.get(question, f"{indicator}_vs_rest", category, territory=territory)
        if row is None or row["flag"] != "significant":
            return ""
        arrow = UP if row["estimate"] > 0 else DOWN
        return f"{arrow} {formats.signed(row['estimate'], share=indicator != 'mean')}"

    def change(self, question: str, indicator: str, category: str | None, **where: Any) -> str:
        row = self.get(question, f"{indicator}_change", category, **where)
        if row is None:
            return ""
        text = formats.signed(row["estimate"], share=indicator != "mean")
        return f"{text} *" if row["flag"] == "significant" else text

    # --- what a question publishes ---------------------------------------------------------

    def figures(self, q: Question) -> list[FigureRef]:
        """(question code, indicator, category, label) of q's main figures, in reading order."""
        if q.type == "scale" and q.items:
            return sorted(
                ((f"{q.code}.{t.code}", "mean", None, t.label) for t in q.items),
                key=lambda f: -(self.estimate(f[0], "mean") or 0.0),
            )
        if q.type == "single" and q.items:
            group = q.groups[0] if q.groups else None
            grid: list[FigureRef] = [
                (f"{q.code}.{t.code}", "group" if group else "share",
                 group.code if group else q.codes[0].code, t.label)
                for t in q.items
            ]  # fmt: skip
            return sorted(grid, key=lambda f: -(self.estimate(f[0], f[1], f[2]) or 0.0))
        options = q.items if q.type == "multiple" else q.codes
        figures: list[FigureRef] = [(q.code, "share", t.code, t.label) for t in options]
        return figures + [(q.code, "group", g.code, g.label) for g in q.groups]

    def scale_items(
        self, q: Question, territory: str = NATIONAL, wave: str | None = None
    ) -> list[tuple[str, str, float]]:
        """(question code, label, mean) of a scale grid's items in one territory, highest first."""
        items = [
            (f"{q.code}.{t.code}", t.label,
             self.estimate(f"{q.code}.{t.code}", "mean", territory=territory, wave=wave))
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
            figure = (("group", q.groups[0].code, q.groups[0].label) if q.groups
                      else ("share", q.codes[0].code, q.codes[0].label))  # fmt: skip
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
