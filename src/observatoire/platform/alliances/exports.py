"""Open-data exports of the published base (never drafts, never synthetic fiches).

CSV uses the import layout (so an export can be imported elsewhere), JSON is the API's detail
record for every fiche, and GeoJSON places each fiche at the centre of its first territory's
department or region shape (null geometry for national fiches).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from observatoire import territory
from observatoire.errors import InputError
from observatoire.platform import plaindata
from observatoire.platform.alliances import places
from observatoire.platform.alliances.models import Alliance
from observatoire.platform.alliances.search.faceted import base_queryset
from observatoire.platform.alliances.validation import ROW_FIELDS

LICENCE = (
    "Données : Licence Ouverte / Open Licence 2.0 (Etalab) ; textes des fiches : la licence "
    "indiquée sur chaque fiche (CC BY-SA 4.0 par défaut)"
)
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
CSV_COLUMNS = ["import_id", "slug", *ROW_FIELDS[:4], "partners", *ROW_FIELDS[4:]]


def record(alliance: Alliance) -> dict[str, Any]:
    """The public record of a fiche (API detail and JSON export)."""
    return {
        "id": alliance.pk,
        "slug": alliance.slug,
        "import_id": alliance.import_id or alliance.slug,
        "title": alliance.title,
        "summary": alliance.summary,
        "description": alliance.description,
        "territories": [{"code": c, "name": places.name(c)} for c in alliance.territories],
        "partners": [
            {"name": p.name, "actor_type": p.actor_type, "size": p.size, "role": p.role}
            for p in alliance.partners.all()
        ],
        "objectives": alliance.objectives,
        "impacts": alliance.impacts,
        "partnership_categories": alliance.partnership_categories,
        "fragilities": alliance.fragilities,
        "support_forms": alliance.support_forms,
        "innovation_stage": alliance.innovation_stage or None,
        "timeline": alliance.timeline,
        "results": alliance.results,
        "sources": alliance.sources,
        "licence": alliance.licence,
        "update_frequency_months": alliance.update_frequency_months,
        "last_reviewed": alliance.last_reviewed.isoformat() if alliance.last_reviewed else None,
        "freshness": alliance.freshness().value,
        "state": alliance.state,
        "url": alliance.get_absolute_url(),
    }


def published() -> Iterable[Alliance]:
    return base_queryset().order_by("title", "id").prefetch_related("partners")


def to_json() -> str:
    data = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "results": [record(a) for a in published()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv() -> str:
    rows = []
    for alliance in published():
        rec = record(alliance)
        rec["territories"] = "|".join(t["code"] for t in rec["territories"])
        rec["partners"] = "|".join(
            ";".join([p["name"], p["actor_type"], p["size"], p["role"]]) for p in rec["partners"]
        )
        for name in (
            "objectives",
            "impacts",
            "partnership_categories",
            "fragilities",
            "support_forms",
        ):
            rec[name] = "|".join(rec[name])
        for name in ("timeline", "results", "sources"):
            rec[name] = json.dumps(rec[name], ensure_ascii=False)
        rows.append({k: rec[k] for k in CSV_COLUMNS})
    return plaindata.write_csv(rows, CSV_COLUMNS)


@lru_cache(maxsize=1)
def _centres() -> dict[tuple[str, str], tuple[float, float]]:
    """Centre of the bounding box of every department and region shape, by (kind, INSEE code)."""
    centres: dict[tuple[str, str], tuple[float, float]] = {}
    for kind, collection in (
        ("department", territory.department_shapes()),
        ("region", territory.region_shapes()),
    ):
        for feature in collection["features"]:
            code = (kind, str(feature.get("id") or feature["properties"].get("code")))
            xs, ys = [], []
            for x, y in _points(feature["geometry"]["coordinates"]):
                xs.append(x)
                ys.append(y)
            if xs:
                centres[code] = (
                    round((min(xs) + max(xs)) / 2, 5),
                    round((min(ys) + max(ys)) / 2, 5),
                )
    return centres


def _points(coordinates: Any) -> Iterable[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates:
        yield from _points(part)


def _geometry(alliance: Alliance) -> dict[str, Any] | None:
    for code in alliance.territories:
        try:
            place = places.place(code)
        except InputError:
            continue
        for key in (("department", place.department), ("region", place.region)):
            if key[1] and key in _centres():
                return {"type": "Point", "coordinates": list(_centres()[key])}
    return None


def to_geojson() -> str:
    features = []
    for alliance in published():
        rec = record(alliance)
        del rec["description"]
        features.append({"type": "Feature", "geometry": _geometry(alliance), "properties": rec})
    data = {"type": "FeatureCollection", "licence": LICENCE, "features": features}
    return json.dumps(data, ensure_ascii=False) + "\n"


FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "json": ("application/json", to_json),
    "geojson": ("application/geo+json", to_geojson),
}
