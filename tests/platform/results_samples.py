"""A small published study for the platform's tests, shaped as the demo's (results contract).

Two waves; France, the 12 study regions and the four commune size classes (a banner profile of
France); health of the territory (Q1), the "jouer collectif" (Q2, with its net) and three
fragilities (Q3 grid: means, bands, ranks); changes since 2019, and each region against the rest
of France, flagged significant where the difference exceeds 1.96 standard errors. Figures are
made up (deterministic), never to be read as findings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from observatoire.results_contract import SCHEMA

STUDY = "etude-portrait"
POPULATION = "citoyens"
WAVES = ("2019", "2022")
REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93")
SIZES = ("moins-2000", "2000-20000", "20000-50000", "plus-50000")
HEALTH = (("dynamique", "Dynamique"), ("en-difficulte", "En difficulté"), ("sinistre", "Sinistré"))
UTILITY = (("indispensable", "Incontournable"), ("utile", "Utile"),
           ("peu-utile", "Peu utile"), ("inutile", "Pas du tout utile"))  # fmt: skip
NET = ("utile-ou-indispensable", "Utile ou incontournable")
FRAGILITIES = (("sante", "Santé"), ("emploi", "Emploi / chômage / insertion"),
               ("mobilite", "Mobilité / transports"))  # fmt: skip
BANDS = (("1-5", "Notes 1 à 5"), ("6-7", "Notes 6 et 7"), ("8-10", "Notes 8 à 10"))
NOTICE = "Répondants synthétiques : données de test."


def _wobble(*key: str) -> float:
    """A deterministic number in [-1, 1) for a key."""
    return (sum(ord(c) * (i + 1) for i, c in enumerate("|".join(key))) % 200) / 100 - 1


def _figure(value: float, se: float, n: int, weighted_n: float | None) -> dict[str, Any]:
    return {"estimate": value, "se": se, "ci_low": value - 1.96 * se,
            "ci_high": value + 1.96 * se, "n": n, "weighted_n": weighted_n}  # fmt: skip


def rows() -> list[dict[str, Any]]:
    domains: list[tuple[str, str | None, str | None, int, float]] = [
        ("FR", None, None, 2400, 51.6e6),
        *((r, None, None, 200, 4.3e6) for r in REGIONS),
        *(("FR", "commune_size", s, 600, 12.9e6) for s in SIZES),
    ]
    out = [row for wave in WAVES for domain in domains for row in _domain_rows(wave, *domain)]
    return out + _derived(out)


def _domain_rows(
    wave: str, territory: str, profile: str | None, level: str | None, n: int, weighted: float
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    shift = 0.0 if wave == "2022" else 0.03

    def add(question: str, indicator: str, category: str | None, value: float, se: float,
            position: int, question_label: str, category_label: str | None) -> None:  # fmt: skip
        out.append({
            "study": STUDY, "wave": wave, "population": POPULATION, "versus": None,
            "territory": territory, "profile": profile,
            "profile_level": level, "question": question, "indicator": indicator,
            "category": category, "position": position, **_figure(value, se, n, weighted),
            "flag": "small_base" if n < 30 else None, "question_label": question_label,
            "category_label": category_label,
        })  # fmt: skip

    key = (wave, territory, level or "")
    health = [0.5 + 0.08 * _wobble(*key, "d") - shift, 0.44, 0.06 + 0.02 * _wobble(*key)]
    health[1] = 1 - health[0] - health[2]
    for position, ((code, label), value) in enumerate(zip(HEALTH, health, strict=True), 1):
        add("Q1", "share", code, value, 0.03, position, "Santé du territoire", label)
    useful = 0.74 + 0.07 * _wobble(*key, "u") - shift
    utility = [0.25, useful - 0.25, (1 - useful) * 0.7, (1 - useful) * 0.3]
    for position, ((code, label), value) in enumerate(zip(UTILITY, utility, strict=True)):
        add("Q2", "share", code, value, 0.03, 10 + position, "Le « jouer collectif »", label)
    add("Q2", "group", NET[0], useful, 0.03, 14, "Le « jouer collectif »", NET[1])
    means = {item: 5.7 - i * 0.2 + 0.4 * _wobble(*key, item)
             for i, (item, _) in enumerate(FRAGILITIES)}  # fmt: skip
    ranked = sorted(means, key=lambda item: -means[item])
    for i, (item, label) in enumerate(FRAGILITIES):
        question, question_label = f"Q3.{item}", f"Fragilités du territoire : {label}"
        position = 20 + 5 * i
        add(question, "mean", None, means[item], 0.12, position, question_label, None)
        high = 0.3 + (means[item] - 5) * 0.1
        for j, ((band, band_label), value) in enumerate(
            zip(BANDS, (0.35, 0.65 - high, high), strict=True), 1
        ):
            add(question, "band", band, value, 0.03, position + j, question_label, band_label)
        out.append({**out[-1], "indicator": "rank", "category": None,
                    "estimate": float(ranked.index(item) + 1), "se": None, "ci_low": None,
                    "ci_high": None, "position": position, "category_label": None})  # fmt: skip
    return out


def _derived(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes since 2019 (every domain), regions against the rest of France and size classes
    against the other communes (2022)."""
    key = ("question", "indicator", "category", "territory", "profile", "profile_level")
    by_key = {(r["wave"], *(r[k] for k in key)): r for r in figures}
    national = {
        tuple(r[k] for k in key[:3]): r
        for r in figures
        if r["wave"] == "2022" and r["territory"] == "FR" and r["profile"] is None
    }
    derived = []
    for row in figures:
        if row["wave"] != "2022":
            continue
        before = by_key[("2019", *(row[k] for k in key))]
        if row["indicator"] == "rank":
            derived.append({**row, "indicator": "rank_change",
                            "estimate": before["estimate"] - row["estimate"]})  # fmt: skip
            continue
        derived.append(_contrast(row, f"{row['indicator']}_change", before))
        if row["territory"] != "FR":
            rest = national[(row["question"], row["indicator"], row["category"])]
            derived.append(_contrast(row, f"{row['indicator']}_vs_rest", rest))
        elif row["profile"] is not None:  # a size class against the other communes
            others = [r for r in figures if r["wave"] == "2022" and r["profile"] == row["profile"]
                      and r["profile_level"] != row["profile_level"]
                      and (r["question"], r["indicator"], r["category"])
                      == (row["question"], row["indicator"], row["category"])]  # fmt: skip
            rest = {**row, "estimate": sum(r["estimate"] for r in others) / len(others)}
            derived.append(_contrast(row, f"{row['indicator']}_vs_rest", rest))
    return derived


def _contrast(row: dict[str, Any], indicator: str, other: dict[str, Any]) -> dict[str, Any]:
    difference = row["estimate"] - other["estimate"]
    se = (row["se"] ** 2 + other["se"] ** 2) ** 0.5
    return {**row, "indicator": indicator, **_figure(difference, se, row["n"], None),
            "flag": "significant" if abs(difference) > 1.96 * se else None}  # fmt: skip


def write_run(folder: Path, *, study: str = STUDY, title: str = "Étude portrait",
              synthetic: bool = True, documents: bool = True) -> Path:  # fmt: skip
    """A run's OUT folder: results.parquet, results.json and a few documents."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = pl.DataFrame(rows(), schema=SCHEMA).with_columns(study=pl.lit(study))
    frame.write_parquet(folder / "results.parquet")
    meta = {
        "study": study, "title": title, "universe": "Adultes de France métropolitaine",
        "synthetic": synthetic, "notice": NOTICE if synthetic else "",
        "waves": [{"id": w, "year": int(w), "sample_size": 2400} for w in WAVES],
    }  # fmt: skip
    (folder / "results.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    if documents:
        (folder / "regions").mkdir(exist_ok=True)
        (folder / "regions" / "11.pdf").write_bytes(b"%PDF-1.7 fiche 11")
        (folder / "summary.pdf").write_bytes(b"%PDF-1.7 summary")
    return folder


def write_populations_run(folder: Path, study: str = "etude-acteurs") -> Path:
    """A study of two populations: the citizens' rows of the sample, and companies' national
    rows with their difference from the citizens (`<x>_vs_population`)."""
    folder.mkdir(parents=True, exist_ok=True)
    citizens = [{**r, "study": study} for r in rows() if r["profile"] is None]
    companies = [
        {**r, "population": "entreprises", "estimate": r["estimate"] * 1.1}
        for r in citizens
        if r["territory"] == "FR" and "_" not in r["indicator"]
    ]
    gaps = [
        {**_contrast(r, f"{r['indicator']}_vs_population", c), "versus": POPULATION,
         "population": "entreprises"}
        for r, c in zip(companies, (x for x in citizens if x["territory"] == "FR"
                                     and "_" not in x["indicator"]), strict=True)
        if r["wave"] == "2022" and r["indicator"] != "rank"
    ]  # fmt: skip
    pl.DataFrame([*citizens, *companies, *gaps], schema=SCHEMA).write_parquet(
        folder / "results.parquet"
    )
    meta = {
        "study": study, "title": "Étude acteurs", "universe": "Acteurs", "synthetic": True,
        "notice": NOTICE, "waves": [{"id": w, "year": int(w)} for w in WAVES],
        "populations": [{"code": POPULATION}, {"code": "entreprises"}], "reference": POPULATION,
    }  # fmt: skip
    (folder / "results.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return folder


def publish_all(root: Path) -> None:
    """Publish every run folder under `root` into the platform (the results app reads its
    database, not a folder)."""
    from observatoire.platform.results.publishing import publish

    for folder in sorted(root.iterdir()):
        if (folder / "results.parquet").is_file():
            publish(folder)
