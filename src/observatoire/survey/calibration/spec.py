"""A calibration described as plain data (JSON or YAML), as conformance cases and studies give it.

```json
{"method": "poststratify" | "raking" | "linear" | "logit",
 "margins": [{"column": "stype", "totals": {"E": 4421, "H": 755, "M": 1018}},
             {"column": ["age", "sex"],
              "totals": [{"age": "18-24", "sex": "F", "total": 2.7e6}, ...]},
             {"column": ["stype", "sch.wide"], "totals": {"E.No": 600, "E.Yes": 3821, ...}}],
 "totals": {"(Intercept)": 6194, "api99": 3914069},
 "bounds": [0.5, 2.0]}
```
Optional keys: ``partial`` (post-stratification), ``population_total`` and ``as_shares``
(post-stratification and raking), ``epsilon`` and ``max_iter`` (the engine's strict rules), or
``control`` as R's ``{"maxit": 10, "epsilon": 1}`` to reproduce an R call's own stopping rule.
``raking`` without ``totals`` is iterative proportional fitting (R's ``rake``); with ``totals``
or ``bounds`` it is raking-ratio calibration (R's ``calibrate(calfun="raking")``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from observatoire.survey.calibration.greg import calibrate
from observatoire.survey.calibration.poststratify import poststratify
from observatoire.survey.calibration.raking import rake
from observatoire.survey.calibration.targets import Margin
from observatoire.survey.design import Design
from observatoire.survey.errors import SurveyError

SPEC_KEYS = {
    "method",
    "margins",
    "totals",
    "bounds",
    "partial",
    "population_total",
    "as_shares",
    "epsilon",
    "max_iter",
    "control",
}


def apply_calibration(design: Design, spec: Mapping[str, Any]) -> Design:
    """Calibrate `design` as `spec` says (see the module docstring for the format)."""
    unknown = sorted(set(spec) - SPEC_KEYS)
    if unknown:
        raise SurveyError(
            f"unknown calibration key {unknown[0]!r}; known keys: {', '.join(sorted(SPEC_KEYS))}",
            field=unknown[0],
        )
    method = spec.get("method")
    margins = [_margin(item, i) for i, item in enumerate(spec.get("margins") or [])]
    totals = spec.get("totals")
    bounds = spec.get("bounds")
    options = {key: spec[key] for key in ("epsilon", "max_iter") if spec.get(key) is not None}
    control = spec.get("control")
    if control is not None:
        if options or not isinstance(control, Mapping) or set(control) - {"maxit", "epsilon"}:
            raise SurveyError(
                "control takes R's maxit and epsilon, instead of max_iter and epsilon",
                field="control",
            )
        options = {
            name: control[key]
            for key, name in (("maxit", "max_iter"), ("epsilon", "epsilon"))
            if key in control
        }
    shares = {
        key: spec[key] for key in ("population_total", "as_shares") if spec.get(key) is not None
    }
    if method == "poststratify":
        if len(margins) != 1 or totals or bounds is not None:
            raise SurveyError(
                "post-stratification takes exactly one margin (cross its columns for several) "
                "and no totals or bounds",
                field="margins",
            )
        return poststratify(
            design,
            margins[0].columns,
            dict(margins[0].totals),
            partial=bool(spec.get("partial")),
            **shares,
        )
    if method == "raking" and totals is None and bounds is None:
        return rake(design, margins, rule="gap" if control is None else "r", **shares, **options)
    if method in ("raking", "linear", "logit"):
        if shares:
            raise SurveyError(
                "population_total and as_shares apply to poststratify and raking only"
            )
        bounds_pair = None if bounds is None else (bounds[0], bounds[1])
        return calibrate(
            design, totals, margins=margins, method=method, bounds=bounds_pair, **options
        )
    raise SurveyError(
        f"unknown calibration method {method!r}; use poststratify, raking, linear or logit",
        field="method",
    )


def _margin(item: Any, index: int) -> Margin:
    if not isinstance(item, Mapping) or "column" not in item or "totals" not in item:
        raise SurveyError(
            f"margin {index + 1} must have a 'column' and 'totals'", field=f"margins[{index}]"
        )
    column = item["column"]
    totals = item["totals"]
    if isinstance(column, str):
        return Margin.of(column, totals)
    columns = tuple(column)
    if isinstance(totals, Mapping):
        return Margin.of(
            columns, {_split_label(key, columns, index): v for key, v in totals.items()}
        )
    if not isinstance(totals, list):
        raise SurveyError(
            f"margin {'×'.join(columns)}: the totals of crossed columns are a list of "
            "{column: level, ..., 'total': count} records, or a mapping from R's interaction "
            "labels ('E.No') to counts",
            field=f"margins[{index}]",
        )
    rows: dict[Any, float] = {}
    for record in totals:
        if (
            not isinstance(record, Mapping)
            or "total" not in record
            or not set(columns) <= set(record)
        ):
            raise SurveyError(
                f"margin {'×'.join(columns)}: every record needs {', '.join(columns)} and 'total', "
                f"got {record!r}",
                field=f"margins[{index}]",
            )
        rows[tuple(record[c] for c in columns)] = record["total"]
    return Margin.of(columns, rows)


def _split_label(key: Any, columns: tuple[str, ...], index: int) -> tuple[Any, ...]:
    """The levels of R's ``interaction()`` label "E.No" (one level per crossed column)."""
    if isinstance(key, tuple | list):
        return tuple(key)
    parts = str(key).split(".")
    if len(parts) != len(columns):
        raise SurveyError(
            f"margin {'×'.join(columns)}: category {key!r} should read level.level (one level "
            f"per column, as R's interaction() writes it); give records when levels contain dots",
            field=f"margins[{index}]",
        )
    return tuple(parts)
