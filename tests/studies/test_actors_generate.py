"""IMPACT-Acteurs' synthetic respondents: drawn as each population's design says, seeded, and
tuned to the figures the seed publishes by actor type."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from observatoire import territory
from observatoire.errors import InputError
from observatoire.studies.demo.actors import allocate, generate_actors_demo, sample_plan
from observatoire.studies.spec.populations import load_multi_study

ACTOR_POPULATIONS = ("collectivites", "entreprises", "associations", "fondations")


def test_the_same_seeds_give_the_committed_files_byte_for_byte(
    actors: Path, actors_copy: Path
) -> None:
    for path in (actors_copy / "data").iterdir():
        path.unlink()
    written = generate_actors_demo(actors_copy)
    assert [p.name for p in written] == [
        "elus.csv",
        "entreprises.csv",
        "associations.csv",
        "fondations.csv",
    ]
    for path in written:
        assert path.read_bytes() == (actors / "data" / path.name).read_bytes()


def test_allocation_is_proportional_with_a_floor_and_a_cap() -> None:
    assert allocate([100, 100], 10) == [5, 5]
    assert allocate([45, 3, 2, 10], 20) == [13, 2, 2, 3]
    assert allocate([1, 50], 10) == [1, 9]  # a one-unit stratum is a census, not a lonely unit
    assert sum(allocate([29_349, 4_942, 332, 123], 800)) == 800
    with pytest.raises(InputError, match="cannot draw 5 units"):
        allocate([2, 2], 5)
    with pytest.raises(InputError, match="at least 6 needed"):
        allocate([10, 10, 10], 5, minimum=2)


def test_mayors_are_drawn_from_every_commune_of_the_study_regions(actors: Path) -> None:
    mayors = load_multi_study(actors).population("collectivites")
    plan = sample_plan(mayors)
    assert len(plan) == 48  # every study region x size class holds communes
    assert sum(size for size, _ in plan.values()) == territory.commune_frame().total
    assert all(2 <= n <= size or n == size for size, n in plan.values())
    assert all(n <= size for size, n in plan.values())
    data = pl.read_csv(actors / "data" / "elus.csv", infer_schema_length=0)
    drawn = data.group_by("region", "commune_size").len()
    assert {(r, s): n for r, s, n in drawn.iter_rows()} == {k: n for k, (_, n) in plan.items()}
    by_size = data.group_by("commune_size").len()
    assert dict(by_size.iter_rows()) == {
        "moins-2000": 380,
        "2000-20000": 260,
        "20000-50000": 100,
        "plus-50000": 60,
    }


@pytest.mark.parametrize("population", ACTOR_POPULATIONS)
def test_weighted_jouer_collectif_is_the_published_share(actors: Path, population: str) -> None:
    """Design-weighted shares (stratum size / sample size) within 3 points of 92/83/97/98 %."""
    study = load_multi_study(actors)
    p = study.population(population)
    assert p.wave is not None and p.universe is not None and study.published is not None
    data = pl.read_csv(study.data_path(p), infer_schema_length=0)
    assert data.height == p.wave.sample_size
    sizes = p.universe.stratum_sizes(p.strata)
    keys = [tuple(r) for r in data.select(p.strata).iter_rows()] if p.strata else [()] * data.height
    drawn: dict[tuple[str, ...], int] = {}
    for key in keys:
        drawn[key] = drawn.get(key, 0) + 1
    weights = np.array([sizes[k] / drawn[k] for k in keys])
    useful = data["q2"].is_in(["indispensable", "utile"]).to_numpy()
    published = study.published.cell("Q2", population)
    assert published is not None and published.status == "published"
    assert abs(weights @ useful / weights.sum() - published.value) < 0.03
    assert weights.sum() == pytest.approx(p.universe.total)


def test_a_study_not_marked_synthetic_is_never_overwritten(actors_copy: Path) -> None:
    path = actors_copy / "study.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    document["synthetic"] = False
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    before = (actors_copy / "data" / "elus.csv").read_bytes()
    with pytest.raises(InputError, match="synthetic"):
        generate_actors_demo(actors_copy)
    assert (actors_copy / "data" / "elus.csv").read_bytes() == before


def test_the_command_line_generates_a_multi_population_study(actors_copy: Path) -> None:
    from typer.testing import CliRunner

    from observatoire.cli.study import app

    for path in (actors_copy / "data").iterdir():
        path.unlink()
    result = CliRunner().invoke(app, ["generate-demo", str(actors_copy)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (actors_copy / "data").iterdir()) == [
        "associations.csv",
        "elus.csv",
        "entreprises.csv",
        "fondations.csv",
    ]
