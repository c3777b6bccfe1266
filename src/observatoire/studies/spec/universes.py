"""The universe of a population: how many units each stratum holds, and where that comes from.

A universe gives a population's strata sizes (finite-population corrections, expansion weights)
and its weighting targets. It is either a YAML file in the study folder, entered by hand with
its sources and a `status` per figure, or counted from shipped reference data
(`counted_from: observatoire.territory.commune_frame`, the mayors' frame), never typed in twice.

    >>> from observatoire.studies.spec.universes import counted_universe
    >>> mayors = counted_universe("observatoire.territory.commune_frame")
    >>> mayors.dimensions
    ('region', 'commune_size')
    >>> mayors.total == sum(mayors.margin("commune_size").values())
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observatoire.studies.spec.problems import Problem, StudyInvalid, read_mapping
from observatoire.territory import commune_frame

STATUSES = {
    "published": "tel que publié par la source",
    "rounded": "arrondi par la source",
    "approximate": "approché",
    "counted": "compté sur les données de référence livrées",
}
COUNTED_FRAMES = ("observatoire.territory.commune_frame",)


@dataclass(frozen=True)
class UniverseCell:
    """One stratum of the universe: its code on each dimension, its size and how sure it is."""

    values: Mapping[str, str]
    count: float
    status: str
    note: str = ""


@dataclass(frozen=True)
class Universe:
    """The units a population's sample is drawn from, by stratum (the crossing of dimensions)."""

    code: str
    label: str
    unit: str
    scope: str
    year: int | None
    dimensions: tuple[str, ...]
    cells: tuple[UniverseCell, ...]
    source: str  # one sentence naming every source, for weighting targets and method notes
    notes: str = ""

    @property
    def total(self) -> float:
        return float(sum(c.count for c in self.cells))

    @property
    def approximate(self) -> bool:
        """True if any stratum size is only approximate."""
        return any(c.status == "approximate" for c in self.cells)

    def margin(self, dimension: str) -> dict[str, float]:
        """Units per code of one dimension (a weighting target)."""
        if dimension not in self.dimensions:
            raise KeyError(
                f"universe {self.code!r} has no dimension {dimension!r} "
                f"(dimensions: {', '.join(self.dimensions) or 'none'})"
            )
        totals: dict[str, float] = {}
        for cell in self.cells:
            key = cell.values[dimension]
            totals[key] = totals.get(key, 0.0) + cell.count
        return totals

    def stratum_sizes(self, strata: tuple[str, ...]) -> dict[tuple[str, ...], float]:
        """Units per stratum, a stratum being the crossing of `strata` (a subset of the
        dimensions; no strata: one stratum, the whole universe, keyed by the empty tuple)."""
        sizes: dict[tuple[str, ...], float] = {}
        for cell in self.cells:
            key = tuple(cell.values[d] for d in strata)
            sizes[key] = sizes.get(key, 0.0) + cell.count
        return sizes


def load_universe(path: Path) -> Universe:
    """Read a universe file; StudyInvalid lists every problem with its file and field."""
    file = str(path)
    doc = read_mapping(path, "universe file")
    problems: list[Problem] = []
    for key in ("universe", "label", "unit", "scope"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            problems.append(Problem(file, f"{key!r} must be a non-empty text", field=key))
    if "counted_from" in doc:
        if problems:
            raise StudyInvalid(problems)
        try:
            counted = counted_universe(str(doc["counted_from"]))
        except KeyError as exc:
            raise StudyInvalid([Problem(file, exc.args[0], field="counted_from")]) from None
        return Universe(
            code=doc["universe"],
            label=doc["label"],
            unit=doc["unit"],
            scope=doc["scope"],
            year=counted.year,
            dimensions=counted.dimensions,
            cells=counted.cells,
            source=counted.source,
            notes=str(doc.get("notes", "")),
        )
    dimensions = doc.get("dimensions") or {}
    if not isinstance(dimensions, dict):
        problems.append(Problem(file, "'dimensions' must map each dimension to its codes"))
        dimensions = {}
    codes = {name: _codes(spec) for name, spec in dimensions.items()}
    cells = _cells(doc.get("cells"), codes, file, problems)
    sources = doc.get("sources") or {}
    if not isinstance(sources, dict) or not sources:
        problems.append(Problem(file, "name at least one source", field="sources"))
        sources = {}
    problems += _margin_problems(doc.get("margins") or {}, cells, file)
    if problems:
        raise StudyInvalid(problems)
    return Universe(
        code=doc["universe"],
        label=doc["label"],
        unit=doc["unit"],
        scope=doc["scope"],
        year=doc.get("year"),
        dimensions=tuple(dimensions),
        cells=tuple(cells),
        source=_source_sentence(
            sources, doc.get("year"), any(c.status == "approximate" for c in cells)
        ),
        notes=str(doc.get("notes", "")).strip(),
    )


def _codes(spec: Any) -> set[str] | None:
    """The codes a dimension allows, or None when it names them through a vocabulary."""
    if isinstance(spec, dict) and isinstance(spec.get("codes"), dict):
        return {str(code) for code in spec["codes"]}
    return None


def _cells(
    raw: Any, codes: dict[str, set[str] | None], file: str, problems: list[Problem]
) -> list[UniverseCell]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, "'cells' must list the strata with their count"))
        return []
    cells = []
    seen: set[tuple[str, ...]] = set()
    for i, row in enumerate(raw):
        where = f"cells.{i}"
        if not isinstance(row, dict):
            problems.append(Problem(file, "a cell must be a mapping", field=where))
            continue
        values = {name: str(row.get(name)) for name in codes}
        for name, allowed in codes.items():
            if name not in row:
                problems.append(Problem(file, f"the cell has no {name!r}", field=where))
            elif allowed is not None and values[name] not in allowed:
                problems.append(
                    Problem(
                        file,
                        f"unknown {name} {values[name]!r} (allowed: {', '.join(sorted(allowed))})",
                        field=f"{where}.{name}",
                    )
                )
        count = row.get("count")
        if isinstance(count, bool) or not isinstance(count, int | float) or count <= 0:
            problems.append(
                Problem(file, f"count must be a positive number, not {count!r}", field=where)
            )
            continue
        status = row.get("status")
        if status not in STATUSES:
            problems.append(
                Problem(
                    file,
                    f"status {status!r} is not one of {', '.join(STATUSES)}",
                    field=f"{where}.status",
                )
            )
        key = tuple(values[name] for name in codes)
        if key in seen:
            problems.append(Problem(file, f"stratum {key} is listed twice", field=where))
        seen.add(key)
        cells.append(UniverseCell(values, float(count), str(status), str(row.get("note", ""))))
    return cells


def _margin_problems(margins: Any, cells: list[UniverseCell], file: str) -> list[Problem]:
    """Published margins, where a file gives them, must equal the sums of its cells."""
    problems = []
    for dimension, rows in (margins or {}).items():
        sums: dict[str, float] = {}
        for cell in cells:
            code = cell.values.get(dimension)
            if code is not None:
                sums[code] = sums.get(code, 0.0) + cell.count
        for row in rows:
            code, count = str(row.get("code")), row.get("count")
            if not isinstance(count, int | float) or abs(sums.get(code, 0.0) - count) > 0.5:
                problems.append(
                    Problem(
                        file,
                        f"the cells of {dimension} {code!r} add up to {sums.get(code, 0.0):,.0f}, "
                        f"not to its margin {count!r}",
                        field=f"margins.{dimension}",
                    )
                )
    return problems


def _source_sentence(sources: dict[str, Any], year: Any, approximate: bool) -> str:
    parts = []
    for spec in sources.values():
        if isinstance(spec, dict):
            parts.append(", ".join(str(spec[k]) for k in ("publisher", "title") if spec.get(k)))
    when = f" ; année {year}" if year else ""
    caveat = " ; répartition en partie approchée (voir le fichier de l'univers)"
    return " ; ".join(parts) + when + (caveat if approximate else "")


def counted_universe(name: str) -> Universe:
    """A universe counted from shipped reference data; KeyError for an unknown counter."""
    if name not in COUNTED_FRAMES:
        raise KeyError(f"unknown frame {name!r} (known: {', '.join(COUNTED_FRAMES)})")
    frame = commune_frame()
    cells = tuple(
        UniverseCell(
            {"region": c.study_region, "commune_size": c.size_class}, c.communes, "counted"
        )
        for c in frame.cells
        if c.communes
    )
    return Universe(
        code="communes",
        label="Communes des régions d'étude",
        unit="Commune",
        scope="Communes des 12 régions d'étude",
        year=None,
        dimensions=("region", "commune_size"),
        cells=cells,
        source=frame.source,
    )
