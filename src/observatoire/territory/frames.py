"""Sampling frames counted from the shipped communes.

The mayors of the IMPACT-Élus locaux studies are drawn from the communes of the study regions by
size class and study region; `commune_frame()` counts those communes (and their inhabitants) in
the shipped territory data, so the frame and the weighting targets are never typed in.

    >>> frame = commune_frame()
    >>> frame.total > 34_000
    True
    >>> frame.count("11", "plus-50000") > 50
    True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from observatoire.errors import InputError
from observatoire.territory.registry import registry
from observatoire.territory.sizes import CODES as SIZE_CLASSES
from observatoire.territory.study_regions import study_region_codes


@dataclass(frozen=True, slots=True)
class FrameCell:
    """The communes of one study region and size class, and their legal municipal population."""

    study_region: str
    size_class: str
    communes: int
    population: int


@dataclass(frozen=True)
class CommuneFrame:
    """Communes of the 12 study regions counted by study region × size class (48 cells, in
    study-region then size order), with the provenance of the data they are counted from."""

    cells: tuple[FrameCell, ...]
    source: str

    @property
    def total(self) -> int:
        """Number of communes of the study regions."""
        return sum(c.communes for c in self.cells)

    def count(self, study_region: str, size_class: str) -> int:
        """Communes of one cell; an unknown region or class is an InputError."""
        for cell in self.cells:
            if cell.study_region == study_region and cell.size_class == size_class:
                return cell.communes
        raise InputError(
            f"no frame cell for study region {study_region!r} and size class {size_class!r} "
            f"(regions: {', '.join(study_region_codes())}; classes: {', '.join(SIZE_CLASSES)})"
        )

    def by_size_class(self) -> dict[str, int]:
        """Communes per size class, smallest class first."""
        totals = Counter[str]()
        for cell in self.cells:
            totals[cell.size_class] += cell.communes
        return {size: totals[size] for size in SIZE_CLASSES}

    def by_study_region(self) -> dict[str, int]:
        """Communes per study region, in INSEE order."""
        totals = Counter[str]()
        for cell in self.cells:
            totals[cell.study_region] += cell.communes
        return {region: totals[region] for region in study_region_codes()}


@cache
def commune_frame() -> CommuneFrame:
    """The communes of the study regions (metropolitan France, Corse with PACA) counted by study
    region and size class; empty cells are kept with zero communes."""
    communes = Counter[tuple[str, str]]()
    people = Counter[tuple[str, str]]()
    for t in registry().all:
        if t.kind == "commune" and t.study_region is not None and t.size_class is not None:
            communes[(t.study_region, t.size_class)] += 1
            people[(t.study_region, t.size_class)] += t.population or 0
    cells = tuple(
        FrameCell(region, size, communes[(region, size)], people[(region, size)])
        for region in study_region_codes()
        for size in SIZE_CLASSES
    )
    return CommuneFrame(cells=cells, source=frame_source())


def frame_source() -> str:
    """Where the counts come from, in French, for weighting-target sources and method notes."""
    package = registry().source
    return (
        "Communes de France métropolitaine (Corse rattachée à PACA) et leur population "
        "municipale légale, INSEE (Code officiel géographique, populations légales) via "
        f"{package['package']} {package['version']} ; comptées par observatoire.territory"
    )
