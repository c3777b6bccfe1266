"""Publishing a run into the platform: one transaction, documents in the storage, nothing of a
broken or interrupted publish visible, a wave withdrawn with what depends on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from django.core.files.storage import storages
from django.db.models.query import QuerySet
from django.test import Client
from results_samples import STUDY, write_run
from typer.testing import CliRunner

from observatoire.cli.app import _register
from observatoire.cli.app import app as cli
from observatoire.errors import InputError
from observatoire.platform.results import published as readers
from observatoire.platform.results.models import Document, Publication, ResultRow
from observatoire.platform.results.publishing import publish, remove_leftovers, unpublish

pytestmark = pytest.mark.django_db

PAGES = ["/", "/resultats/", f"/resultats/{STUDY}/", f"/resultats/{STUDY}/regions/11/"]


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "published" / STUDY)


def _estimate(question: str = "Q2", territory: str = "11") -> float:
    study = readers.load(STUDY)
    assert study is not None
    value = study.results.estimate(question, "group", "utile-ou-indispensable", territory=territory)
    assert value is not None
    return value


def test_deleting_the_published_parquet_leaves_every_results_page_working(
    client: Client, run: Path
) -> None:
    done = publish(run)
    assert (done.study, done.waves, done.documents) == (STUDY, ("2019", "2022"), 4)
    assert ResultRow.objects.count() == done.rows == pl.read_parquet(run / "results.parquet").height
    shutil.rmtree(run.parent)
    assert {page: client.get(page).status_code for page in PAGES} == dict.fromkeys(PAGES, 200)
    pdf = client.get(f"/resultats/{STUDY}/documents/regions/11.pdf")
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 fiche 11"  # type: ignore[attr-defined]


def test_a_broken_run_changes_nothing_and_exits_2_with_one_sentence(
    client: Client, run: Path, tmp_path: Path
) -> None:
    publish(run)
    before = _estimate()
    broken = write_run(tmp_path / "broken" / STUDY)
    frame = pl.read_parquet(broken / "results.parquet")
    frame.with_columns(pl.col("estimate") * 0).drop("ci_high").write_parquet(
        broken / "results.parquet"
    )
    _register()
    result = CliRunner().invoke(cli, ["results", "publish", str(broken)])
    assert result.exit_code != 0 and isinstance(result.exception, InputError)
    message = str(result.exception)
    assert message == f"{broken / 'results.parquet'}: missing column 'ci_high' (Float64)"
    assert _estimate() == before
    assert Publication.objects.get().source == str(run.resolve())
    assert client.get(f"/resultats/{STUDY}/regions/11/").status_code == 200


def test_the_command_line_exits_2_on_a_broken_run(run: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (run / "results.json").write_text("{", "utf-8")
    command = [sys.executable, "-m", "observatoire", "results", "publish", str(run)]
    # an instance of its own (the embedded SQLite in a data folder), whatever database the
    # suite runs on: the command migrates the instance it publishes into
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["OBSERVATOIRE_DATA_DIR"] = str(tmp_path / "instance")
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert result.returncode == 2
    assert "results.json" in result.stderr and "Traceback" not in result.stderr


def test_a_new_run_replaces_the_previous_publication_whole(run: Path, tmp_path: Path) -> None:
    publish(run)
    first = Publication.objects.get()
    newer = write_run(tmp_path / "newer" / STUDY, title="Étude portrait, nouvelle vague")
    (newer / "summary.pdf").unlink()
    publish(newer)
    second = Publication.objects.get()
    assert second.uid != first.uid and second.title.endswith("nouvelle vague")
    assert ResultRow.objects.filter(publication_id=first.pk).count() == 0
    assert sorted(Document.objects.values_list("path", flat=True)) == [
        "regions/11.pdf", "results.json", "results.parquet"
    ]  # fmt: skip
    assert readers.load(STUDY).title.endswith("nouvelle vague")  # type: ignore[union-attr]


def test_an_interrupted_publish_leaves_the_previous_publication_serving(
    client: Client, run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(run)
    before = _estimate()
    store = storages["default"]
    files_before = _stored_files()
    calls = []

    def crash(self: QuerySet[ResultRow], objs: object, batch_size: int | None = None) -> None:
        calls.append(1)
        raise KeyboardInterrupt  # killed while loading the rows

    monkeypatch.setattr(QuerySet, "bulk_create", crash)
    with pytest.raises(KeyboardInterrupt):
        publish(write_run(tmp_path / "newer" / STUDY))
    monkeypatch.undo()
    assert calls and _estimate() == before
    assert _stored_files() == files_before  # the new run's copies were removed
    assert client.get(f"/resultats/{STUDY}/documents/summary.pdf").status_code == 200
    assert store.exists(Document.objects.get(path="summary.pdf").name)


def _stored_files() -> list[str]:
    store = storages["default"]

    def walk(folder: str) -> list[str]:
        if not store.exists(folder):
            return []
        folders, files = store.listdir(folder)
        return [f"{folder}/{f}" for f in files] + [
            name for sub in folders for name in walk(f"{folder}/{sub}")
        ]

    return sorted(walk(f"results/{STUDY}"))


def test_the_next_publish_removes_the_files_an_interrupted_one_left(run: Path) -> None:
    store = storages["default"]
    store.save(f"results/{STUDY}/0123abcd/summary.pdf", open(run / "summary.pdf", "rb"))  # noqa: SIM115
    publish(run)
    remove_leftovers(STUDY)  # what the publish does once its transaction commits
    uid = Publication.objects.get().uid
    assert {name.split("/")[2] for name in _stored_files()} == {uid}


def test_withdrawing_a_wave_takes_its_rows_the_changes_against_it_and_the_documents(
    client: Client, run: Path
) -> None:
    publish(run)
    said = unpublish(STUDY, "2019")
    assert "withdrew wave 2019" in said
    publication = Publication.objects.get()
    assert publication.waves == ["2022"]
    assert not publication.rows.filter(wave="2019").exists()
    assert not publication.rows.filter(indicator__endswith="_change").exists()
    assert publication.rows.filter(indicator__endswith="_vs_rest").exists()
    assert publication.rows.count() == publication.rows_count
    assert not publication.documents.exists()
    assert client.get("/resultats/").status_code == 200
    study = readers.load(STUDY)
    assert study is not None and study.results.waves == ("2022",)
    assert "withdrew" in unpublish(STUDY, "2022")
    assert not Publication.objects.exists() and not ResultRow.objects.exists()
    assert client.get("/resultats/").status_code == 404


def test_withdrawing_an_unknown_study_or_wave_says_what_exists(run: Path) -> None:
    publish(run)
    with pytest.raises(InputError, match=r"no published study 'nope' \(published: etude-portrait"):
        unpublish("nope", "2019")
    with pytest.raises(InputError, match=r"no published wave '2030' \(published waves: 2019, 2022"):
        unpublish(STUDY, "2030")


@pytest.mark.parametrize(
    "name",
    ["summary.pdf%00", "%00", "summary%00.pdf", "a" * 3000, "regions/" + "b" * 3000 + ".pdf"],
)
def test_odd_document_names_are_not_found_never_an_error(
    client: Client, run: Path, name: str
) -> None:
    """Issue 9's reproduction: `%00` or a 3,000-character name under /resultats/…/documents/
    answered 500."""
    publish(run)
    assert client.get(f"/resultats/{STUDY}/documents/{name}").status_code == 404


def test_a_half_built_study_beside_the_published_ones_is_never_shown(
    client: Client, run: Path
) -> None:
    """Issue 9's reproduction: an interrupted `study run` left `.<study>.building-*/` under the
    published folder; it was listed as a study and / and /resultats/ answered 500."""
    publish(run)
    half = run.parent / f".{STUDY}.building-4242-abcd"
    shutil.copytree(run, half)
    (half / "results.parquet").write_bytes(b"half-written")
    assert {page: client.get(page).status_code for page in PAGES} == dict.fromkeys(PAGES, 200)
    assert [s.code for s in readers.studies()] == [STUDY]


def test_links_and_overlong_paths_in_a_run_are_refused_before_anything_is_stored(
    run: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("not published")
    (run / "charts").mkdir()
    (run / "charts" / "link.svg").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InputError, match="links are not published"):
        publish(run)
    assert not Publication.objects.exists() and _stored_files() == []


def test_rows_that_would_not_fit_the_database_are_refused_naming_the_column(
    run: Path,
) -> None:
    frame = pl.read_parquet(run / "results.parquet")
    frame.with_columns(
        pl.when(pl.col("question") == "Q1")
        .then(pl.lit("x" * 600))
        .otherwise(pl.col("category_label"))
        .alias("category_label")
    ).write_parquet(run / "results.parquet")
    with pytest.raises(InputError, match=r"column 'category_label': .* longer than 500"):
        publish(run)
    frame.with_columns(se=pl.col("se") / 0.0).write_parquet(run / "results.parquet")
    with pytest.raises(InputError, match=r"column 'se': .* not finite"):
        publish(run)


def test_the_demo_publishes_its_figures_first_then_its_documents_once_per_version(
    run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from observatoire.platform.results import demo as steps
    from observatoire.studies import demo

    runs: list[bool] = []
    sources = ["v1"]

    def fake_run(folder: Path, out: Path, progress: object, *, documents: bool = True) -> None:
        runs.append(documents)
        shutil.copytree(run, out, dirs_exist_ok=True)
        if not documents:  # the tidy results alone
            shutil.rmtree(out / "regions")
            (out / "summary.pdf").unlink()

    monkeypatch.setattr(demo, "DEMO_STUDIES", (STUDY,))
    monkeypatch.setattr(demo, "ensure_data", lambda code, say: None)
    monkeypatch.setattr(demo, "fingerprint", lambda code: sources[0])
    monkeypatch.setattr(demo, "published_folder", lambda code: tmp_path / "out" / code)
    monkeypatch.setattr(demo, "demo_folder", lambda code: run)
    monkeypatch.setattr(steps, "run_study", fake_run)
    said: list[str] = []
    assert steps.publish_figures(said.append) == [STUDY]
    figures = Publication.objects.get()
    assert figures.documents_pending and runs == [False]
    assert sorted(figures.documents.values_list("path", flat=True)) == [
        "results.json", "results.parquet"
    ]  # fmt: skip
    assert steps.publish_figures(said.append) == [STUDY]  # documents still to render: no rerun
    assert runs == [False]
    steps.publish_documents(said.append)
    complete = Publication.objects.get()
    assert not complete.documents_pending and runs == [False, True]
    assert complete.documents.filter(path="regions/11.pdf").exists()
    assert steps.publish_figures(said.append) == [] and said[-1] == f"  already published: {STUDY}"
    steps.publish_documents(said.append)
    assert runs == [False, True]  # nothing left to render
    sources[0] = "v2"  # study.yaml or the data changed
    assert steps.publish_figures(said.append) == [STUDY] and runs == [False, True, False]
