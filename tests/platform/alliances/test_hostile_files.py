"""Issue 9, items 10 (CSV and import): formula cells in CSV exports, a 10 MB CSV cell or deeply
nested JSON exiting 2 with the file and row, a re-import of similar rows printing megabytes of
duplicate listings, and imports saved in batches."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from alliance_samples import NATIONAL, VITAWIN
from django.db import transaction

from observatoire.cli.app import main
from observatoire.platform.alliances import exports, importers
from observatoire.platform.alliances.importers import import_file
from observatoire.platform.alliances.models import Alliance

pytestmark = pytest.mark.django_db
FORMULAS = ['=HYPERLINK("https://example.org","clic")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_export_cells_starting_with_a_formula_sign(
    tmp_path: Path, make_fiche, formula: str
) -> None:  # type: ignore[no-untyped-def]
    make_fiche(VITAWIN, title=formula + " titre", summary=formula)
    rows = list(csv.DictReader(io.StringIO(exports.to_csv())))
    assert rows[0]["title"] == "'" + formula + " titre"
    assert rows[0]["summary"] == "'" + formula
    # …and the export imports back to the same text.
    path = tmp_path / "export.csv"
    path.write_text(exports.to_csv(), encoding="utf-8")
    report = import_file(path, "reimport")
    assert report.saved, report.lines()
    copy = Alliance.objects.get(source_name="reimport")
    assert (copy.title, copy.summary) == (formula + " titre", formula)


def test_plain_numbers_and_text_stay_as_they_are(make_fiche) -> None:  # type: ignore[no-untyped-def]
    make_fiche(NATIONAL, results=[{"label": "écart", "value": "-5"}])
    row = next(csv.DictReader(io.StringIO(exports.to_csv())))
    assert json.loads(row["results"])[0]["value"] == "-5"
    assert row["title"] == NATIONAL["title"]


def test_a_10_mb_csv_field_exits_2_naming_file_and_row(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "grosse.csv"
    path.write_text(
        "import_id,title,summary\nun,Titre,Résumé\ndeux,Titre," + "a" * 10_000_000 + "\n"
    )
    with pytest.raises(SystemExit) as stop:
        main(["alliances", "import", str(path), "--source", "cli"])
    assert stop.value.code == 2
    message = capsys.readouterr().err.replace("\n", "")  # as the terminal wraps it
    assert str(path) in message and "row 3:" in message and "131072" in message
    assert not Alliance.objects.exists()


def test_deeply_nested_json_exits_2_naming_the_file(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "imbrique.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SystemExit) as stop:
        main(["alliances", "import", str(path), "--source", "cli"])
    assert stop.value.code == 2
    message = capsys.readouterr().err.replace("\n", "")
    assert str(path) in message and "nested too deeply" in message


def test_a_reimport_does_not_print_megabytes_of_duplicate_listings(tmp_path: Path) -> None:
    similar = [
        {**VITAWIN, "import_id": f"v{i}", "title": f"{VITAWIN['title']} {i}"} for i in range(80)
    ]
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps(similar), encoding="utf-8")
    assert import_file(path, "premiere").saved
    report = import_file(path, "seconde", dry_run=True)  # every row resembles 80 fiches
    assert len(report.duplicates) == 80
    text = "\n".join(report.lines())
    assert len(text) < 20_000
    assert "and 77 more" in text
    assert f"… and {80 - importers.SHOWN_DUPLICATE_ROWS} more row(s)" in text


def test_imports_are_saved_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each batch is its own transaction, so that the site's writers get the lock between two."""
    monkeypatch.setattr(importers, "BATCH_ROWS", 4)
    batches: list[int] = []
    real_atomic = transaction.atomic

    def counting_atomic(*args: Any, **kwargs: Any) -> Any:
        batches.append(Alliance.objects.count())
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(importers, "transaction", SimpleNamespace(atomic=counting_atomic))
    rows = [{**NATIONAL, "import_id": f"n{i}", "title": f"Fiche {i}"} for i in range(10)]
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert import_file(path, "lots").saved
    assert batches == [0, 4, 8]  # three transactions, each seeing the batches before it
    assert Alliance.objects.filter(source_name="lots").count() == 10
