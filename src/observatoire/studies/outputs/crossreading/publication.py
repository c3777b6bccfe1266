"""What every output of a multi-population run is written from: the rows and results.json's
metadata, read through the results contract's cross-reading as the web platform reads them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from observatoire.results_contract import Published, Results, formats
from observatoire.results_contract.crossreading import CrossReading, cross_reading
from observatoire.studies.compute.populations import REFERENCE, PopulationsResults
from observatoire.studies.spec.populations import Population


@dataclass(frozen=True)
class PopulationsPublication:
    run: PopulationsResults

    @cached_property
    def meta(self) -> dict[str, Any]:
        """results.json's metadata (without the rows)."""
        return populations_meta(self.run)

    @cached_property
    def reading(self) -> CrossReading:
        study = self.run.study
        results = Results(self.run.results, [study.wave.id])
        return cross_reading(Published(study.folder, self.meta, results))

    @property
    def footer(self) -> str:
        study = self.run.study
        synthetic = " — répondants synthétiques (démonstration)" if study.synthetic else ""
        return f"{study.title} {study.wave.id} — regards croisés{synthetic}"


def populations_meta(run: PopulationsResults) -> dict[str, Any]:
    """What a reader of the rows needs to know about the study and each of its populations."""
    study = run.study
    published = study.published
    return {
        "study": study.code,
        "title": study.title,
        "universe": study.universe,
        "synthetic": study.synthetic,
        "notice": study.synthetic_notice if study.synthetic else "",
        "waves": [{"id": study.wave.id, "year": study.wave.year}],
        "reference": REFERENCE if any(p.code == REFERENCE for p in study.populations) else None,
        "populations": [_population(run, p) for p in study.populations],
        "own_items": {
            population: item
            for population, item in (published.own_item if published else {}).items()
        },
        "published_source": published.source if published else "",
        "published_figures": [
            {
                "question": c.question,
                "group": c.group,
                "population": c.population,
                "value": c.value,
                "status": c.status,
                "lines": c.lines,
                "note": c.note,
            }
            for c in ([*published.cells, *published.indispensable.values()] if published else [])
        ],
    }


def _population(run: PopulationsResults, p: Population) -> dict[str, Any]:
    checked = run.populations[p.code]
    weighting = run.weighting[p.code]
    single = checked.study
    described: dict[str, Any] = {
        "code": p.code,
        "label": p.label,
        "questions": list(p.questions),
        "sample_size": weighting.n,
        "kish_deff": weighting.kish_deff,
        "effective_n": weighting.effective_n,
        "weighted_total": float(run.designs[p.code].weights.sum()),
    }
    if p.external:
        return {
            **described,
            "study": single.code,
            "study_title": single.title,
            "source_wave": checked.wave.id,
            "universe": f"{single.universe} : {formats.count(single.population_total)}",
            "universe_source": single.population_source,
            "design": single.design_description,
        }
    assert p.universe is not None
    return {
        **described,
        "universe": f"{p.universe.unit.rstrip('.')}, {p.universe.scope.rstrip('.')} : "
        f"{formats.count(p.universe.total)}",
        "unit": p.universe.unit,
        "universe_total": p.universe.total,
        "universe_source": p.universe.source,
        "universe_approximate": p.universe.approximate,
        "universe_notes": p.universe.notes,
        "design": p.design_description,
        "strata": list(p.strata),
        "weighting": p.weighting,
        "margins": list(p.margins),
    }
