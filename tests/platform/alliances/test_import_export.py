"""Import (all or nothing, dry run, idempotent, duplicates) and open-data exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from alliance_samples import ENERGIE, VITAWIN
from django.core.management import call_command

from observatoire.platform.alliances import exports
from observatoire.platform.alliances.importers import import_file
from observatoire.platform.alliances.models import Alliance

pytestmark = pytest.mark.django_db


def _json_file(tmp_path: Path, items: list[dict]) -> Path:
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_bad_row_saves_nothing_and_is_reported(tmp_path: Path) -> None:
    bad = {**ENERGIE, "import_id": "bad", "objectives": ["inconnu"]}
    report = import_file(_json_file(tmp_path, [VITAWIN, bad]), "partenaire")
    assert not report.saved
    assert [e.row for e in report.errors] == [2]
    assert "objectives" in report.errors[0].message
    assert Alliance.objects.count() == 0


def test_dry_run_then_import_then_reimport_is_idempotent(tmp_path: Path) -> None:
    path = _json_file(tmp_path, [VITAWIN, ENERGIE])
    dry = import_file(path, "partenaire", dry_run=True)
    assert (dry.created, dry.updated, dry.saved) == (2, 0, False)
    assert Alliance.objects.count() == 0
    assert import_file(path, "partenaire").saved
    again = import_file(path, "partenaire")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Alliance.objects.count() == 2
    changed = _json_file(tmp_path, [{**VITAWIN, "summary": "Nouveau résumé."}, ENERGIE])
    third = import_file(changed, "partenaire")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Alliance.objects.get(import_id="vitawin-q2er").summary == "Nouveau résumé."
    assert Alliance.objects.get(import_id="vitawin-q2er").raw_record["title"] == VITAWIN["title"]


def test_likely_duplicates_are_reported(tmp_path: Path, base) -> None:  # type: ignore[no-untyped-def]
    copy = {**VITAWIN, "import_id": "copie", "title": VITAWIN["title"] + " !"}
    report = import_file(_json_file(tmp_path, [copy]), "autre-source", dry_run=True)
    assert report.duplicates and report.duplicates[0].matches == ("vitawin-q2er",)
    assert report.duplicates[0].row == 1


def test_csv_import_with_pipes_and_json_cells(tmp_path: Path) -> None:
    path = tmp_path / "fiches.csv"
    path.write_text(
        "import_id,title,summary,territories,partners,objectives,timeline\n"
        'a1,Alliance test,Résumé,94018|REG-24,"Mairie;collectivites;grande;porteur",'
        'innovation-societale,"[{""date"": ""2021"", ""label"": ""Début""}]"\n',
        encoding="utf-8",
    )
    report = import_file(path, "tableur")
    assert report.saved, report.lines()
    alliance = Alliance.objects.get(import_id="a1")
    assert alliance.territories == ["94018", "REG-24"]
    assert alliance.partners.get().actor_type == "collectivites"
    assert alliance.timeline == [{"date": "2021", "label": "Début"}]


def test_command_fails_on_bad_rows(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    path = _json_file(tmp_path, [{**VITAWIN, "territories": ["99999"]}])
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_alliances", str(path), "--source", "x", stdout=io.StringIO())


def test_exports_hold_only_published_real_fiches(base, make_fiche) -> None:  # type: ignore[no-untyped-def]
    make_fiche({**VITAWIN, "import_id": "brouillon", "title": "Brouillon secret"}, state="draft")
    data = json.loads(exports.to_json())
    assert "Licence Ouverte" in data["licence"]
    assert sorted(r["import_id"] for r in data["results"]) == [
        "fonds-odd17",
        "montargis-energie",
        "vitawin-q2er",
    ]
    rows = list(csv.DictReader(io.StringIO(exports.to_csv())))
    assert {r["import_id"] for r in rows} == {"fonds-odd17", "montargis-energie", "vitawin-q2er"}
    geo = json.loads(exports.to_geojson())
    points = {f["properties"]["import_id"]: f["geometry"] for f in geo["features"]}
    assert points["fonds-odd17"] is None
    lon, lat = points["vitawin-q2er"]["coordinates"]
    assert 2 < lon < 3 and 48 < lat < 49.5  # Val-de-Marne


def test_csv_export_imports_back(tmp_path: Path, base) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "export.csv"
    path.write_text(exports.to_csv(), encoding="utf-8")
    report = import_file(path, "reimport", dry_run=True)
    assert not report.errors, report.lines()
    assert report.rows == 3


def test_json_export_imports_back(tmp_path: Path, base) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "export.json"
    path.write_text(exports.to_json(), encoding="utf-8")
    report = import_file(path, "reimport", dry_run=True)
    assert not report.errors, report.lines()
    assert report.rows == 3
