"""`observatoire territory`: look up French territories (communes, EPCIs, EPTs, departments,
regions) by code or by name."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from babel.numbers import format_decimal

from observatoire import territory
from observatoire.vocabularies import COMMUNE_SIZES

app = typer.Typer(help="Look up French territories by code or name.", no_args_is_help=True)

KIND_LABELS = {
    "country": "pays",
    "region": "région",
    "department": "département",
    "epci": "EPCI",
    "ept": "EPT",
    "commune": "commune",
}
KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help=f"One of {', '.join(territory.KINDS)}; needed for codes that are both a department "
        "and a region code (11, 24, 75, 93...).",
    ),
]


def _number(value: int) -> str:
    return format_decimal(value, locale="fr_FR")


def describe(code: str, kind: str | None = None) -> dict[str, Any]:
    """The JSON object of `show`: the territory's fields, the names of the territories it
    points to, and for metropolitan regions the adult population with its source year."""
    current = territory.resolve(code)
    t = territory.get(current, kind)
    data = t.as_dict()
    if current != code.strip().upper():
        data["resolved_from"] = code.strip()
    for field, target_kind in (
        ("department", "department"),
        ("region", "region"),
        ("epci", "epci"),
        ("ept", "ept"),
    ):
        if data.get(field):
            data[f"{field}_name"] = territory.get(data[field], target_kind).name
    if t.study_region:
        data["study_region_name"] = territory.study_region_name(t.study_region)
    if t.kind == "region" and t.study_region:
        adults = territory.adult_population(t.code)
        data["adult_population"] = {
            "value": adults.value,
            "year": adults.year,
            "source": adults.source,
        }
    return data


def _line(label: str, value: str) -> str:
    return f"  {label + ' :':<17} {value}"


def _human(data: dict[str, Any]) -> list[str]:
    lines = [f"{data['name']} ({KIND_LABELS[data['kind']]} {data['code']})"]
    if "resolved_from" in data:
        lines.append(_line("Ancien code", data["resolved_from"]))
    if data.get("population") is not None:
        lines.append(_line("Population", f"{_number(data['population'])} habitants"))
    if "size_class" in data:
        lines.append(_line("Taille", COMMUNE_SIZES[data["size_class"]].fr))
    for field, label in (
        ("ept", "EPT"),
        ("epci", "EPCI"),
        ("department", "Département"),
        ("region", "Région"),
        ("study_region", "Région d'étude"),
    ):
        if field in data:
            lines.append(_line(label, f"{data[f'{field}_name']} ({data[field]})"))
    if "members_count" in data:
        lines.append(_line("Communes", _number(data["members_count"])))
    if "adult_population" in data:
        adults = data["adult_population"]
        value = f"{_number(adults['value'])} ({adults['year']} ; {adults['source']})"
        lines.append(_line("18 ans ou plus", value))
    return lines


@app.command("show")
def show(
    code: Annotated[
        str,
        typer.Argument(
            help="Commune INSEE code (94018), EPCI or EPT SIREN, department (DEP-94) or region "
            "(REG-11) reference, or FR. A bare department or region code needs --kind. "
            "Former commune codes are resolved to their successor."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    kind: KindOption = None,
) -> None:
    """Show one territory and where it belongs."""
    data = describe(code, kind)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(_human(data)))


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Part of a name; accents and case do not matter.")],
    kind: KindOption = None,
    limit: Annotated[int, typer.Option(help="Most matches to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List territories whose name matches TEXT, best first."""
    found = territory.search(text, kinds={kind} if kind else None, limit=limit)
    if as_json:
        typer.echo(json.dumps([t.as_dict() for t in found], ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(f"Aucun territoire ne correspond à « {text} ».")
        return
    for t in found:
        population = f"{_number(t.population)} hab." if t.population is not None else ""
        where = f" ({t.department})" if t.kind == "commune" else ""
        typer.echo(f"{t.code:<10} {KIND_LABELS[t.kind]:<12} {t.name}{where}  {population}")


@app.command("frame")
def frame(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Count the communes of the 12 study regions by size class: the mayors' sampling frame."""
    counted = territory.commune_frame()
    if as_json:
        data = {
            "source": counted.source,
            "total": counted.total,
            "cells": [
                {
                    "study_region": c.study_region,
                    "size_class": c.size_class,
                    "communes": c.communes,
                    "population": c.population,
                }
                for c in counted.cells
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    sizes = list(COMMUNE_SIZES.codes)
    header = "".join(f"{s:>13}" for s in sizes)
    typer.echo(f"{'Région d’étude':<36}{header}{'Total':>9}")
    for region, total in counted.by_study_region().items():
        cells = "".join(f"{_number(counted.count(region, s)):>13}" for s in sizes)
        typer.echo(f"{territory.study_region_name(region)[:35]:<36}{cells}{_number(total):>9}")
    margins = "".join(f"{_number(v):>13}" for v in counted.by_size_class().values())
    typer.echo(f"{'Total':<36}{margins}{_number(counted.total):>9}")
    typer.echo(f"Source : {counted.source}")
