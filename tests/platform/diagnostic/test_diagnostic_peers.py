"""Peers: each answer a study also asks, beside the published share, with interval and base;
by region from IMPACT-Citoyens, by actor type from any study publishing a population column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from diagnostic_examples import ASSOCIATION, CITIZEN
from results_samples import publish_all

from observatoire.platform.diagnostic import answers, peers, questionnaire


def _compare(actor_type: str, raw: dict[str, Any], commune: str = "94018") -> list[Any]:
    qn = questionnaire.get()
    return peers.compare(qn, actor_type, commune, answers.clean(qn, actor_type, raw))


def _figures(comparison: Any) -> dict[tuple[str, str], Any]:
    return {(f.population, f.territory): f for f in comparison.figures}


def test_answers_beside_the_real_pipeline_output(published: Path) -> None:
    """On the demo study as the pipeline publishes it, every shared answer finds its figures."""
    raw = {**ASSOCIATION, "ODD_PERTINENTS": "plutot-oui", "LEVIER": "vision-partagee",
           "MATURITE_TERRITOIRE": "nsp", "ALLIANCES_FRAGILITES": "indispensable",
           "ALLIANCES_MOTEURS": "utile", "IMPACTS.mobilisation": "tres-fort"}  # fmt: skip
    found = {c.key: c for c in _compare("associations", raw)}
    assert set(found) == {
        "JOUER_COLLECTIF", "ALLIANCES_FRAGILITES", "ALLIANCES_MOTEURS", "ODD_PERTINENTS",
        "MATURITE_TERRITOIRE", "IMPACTS.mobilisation", "IMPACTS.engagement", "LEVIER",
    }  # fmt: skip
    figures = _figures(found["JOUER_COLLECTIF"])
    region, france = figures[("citoyens", "11")], figures[("citoyens", "FR")]
    assert (region.base, france.base) == (200, 2400)
    assert region.ci_low is not None and region.share is not None and region.ci_high is not None
    assert region.ci_low < region.share < region.ci_high and region.synthetic
    assert found["IMPACTS.engagement"].item.fr == "L'engagement des personnes"
    assert found["IMPACTS.engagement"].answer.fr == "Fort"


def test_a_citizen_ticking_options_is_compared_option_by_option(published: Path) -> None:
    found = {(c.key, c.answer.fr) for c in _compare("citoyens", CITIZEN)}
    assert ("CIT_ENGAGEMENT", "En tant que citoyen") in found
    assert ("CIT_PRATIQUES", "Veillez à votre consommation d'eau") in found


def _publish(root: Path, code: str, rows: list[dict[str, Any]], **meta: Any) -> None:
    folder = root / code
    folder.mkdir(parents=True)
    pl.DataFrame(rows, infer_schema_length=None).write_parquet(folder / "results.parquet")
    document = {"study": code, "title": meta.get("title", code), "synthetic": True,
                "notice": "Synthétique.", "waves": [{"id": "2023", "year": 2023}]}  # fmt: skip
    (folder / "results.json").write_text(json.dumps(document), encoding="utf-8")


def _row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "study": "impact-acteurs", "wave": "2023", "question": "Q2", "indicator": "share",
        "category": "utile", "territory": "FR", "profile": None, "profile_level": None,
        "position": 1, "population": "associations", "versus": None, "estimate": 0.61,
        "se": 0.02, "ci_low": 0.57, "ci_high": 0.65, "n": 600, "weighted_n": 1.0e6, "flag": None,
        "question_label": "Le « jouer collectif »", "category_label": "Utile",
    }  # fmt: skip
    row.update(values)
    return row


SCALE = [("indispensable", "Incontournable"), ("utile", "Utile"), ("peu-utile", "Peu utile"),
         ("inutile", "Pas du tout utile")]  # fmt: skip


@pytest.fixture
def acteurs(demo_published: Path, tmp_path: Path, db: None) -> Path:
    """The demo citizens' study plus a study publishing one population per actor type."""
    shutil.copytree(demo_published, tmp_path, dirs_exist_ok=True)
    rows = [
        _row(population=population, category=code, category_label=label, estimate=share)
        for population, share in (("associations", 0.61), ("entreprises", 0.5))
        for code, label in SCALE
    ]
    rows += [  # Q7 published with another scale: never compared
        _row(question="Q7.engagement", category=code, category_label=label,
             question_label="Impacts du travail en commun : L'engagement des personnes")
        for code, label in (("fort", "Fort"), ("faible", "Faible"))
    ]  # fmt: skip
    _publish(tmp_path, "impact-acteurs", rows, title="IMPACT-Acteurs")
    publish_all(tmp_path)
    return tmp_path


def test_actor_type_figures_come_from_a_study_with_populations(acteurs: Path) -> None:
    found = {c.key: c for c in _compare("associations", ASSOCIATION)}
    figures = _figures(found["JOUER_COLLECTIF"])
    own = figures[("associations", "FR")]
    assert (own.study, own.share, own.base) == ("impact-acteurs", 0.61, 600)
    assert figures[("citoyens", "FR")].study == "impact-citoyens"  # first study listed wins
    assert ("entreprises", "FR") not in figures  # only the respondent's own kind
    # Q7 of that study has another scale: only the citizens' figures are shown
    assert {f.study for f in found["IMPACTS.engagement"].figures} == {"impact-citoyens"}


@pytest.mark.django_db
def test_a_withheld_figure_says_so(tmp_path: Path) -> None:
    rows = [
        _row(category=code, category_label=label, flag="suppressed" if code == "utile" else None)
        for code, label in SCALE
    ]
    _publish(tmp_path, "impact-acteurs", rows)
    publish_all(tmp_path)
    (comparison,) = _compare("associations", ASSOCIATION)
    (figure,) = comparison.figures
    assert figure.share is None and figure.ci_low is None and figure.base == 600


@pytest.mark.django_db
def test_nothing_published_nothing_compared() -> None:
    assert _compare("associations", ASSOCIATION) == []
