"""`observatoire alliances …` on the test database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alliance_samples import ENERGIE
from typer.testing import CliRunner

from observatoire.cli.alliances import app
from observatoire.errors import InputError
from observatoire.platform.alliances.models import Alliance

pytestmark = pytest.mark.django_db


def test_import_then_export(tmp_path: Path) -> None:
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps([ENERGIE], ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(app, ["import", str(path), "--source", "cli", "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output
    assert not Alliance.objects.exists()
    assert runner.invoke(app, ["import", str(path), "--source", "cli"]).exit_code == 0
    assert Alliance.objects.get().state == "draft"  # imports wait for a curator
    exported = runner.invoke(app, ["export", "--format", "json"])
    assert json.loads(exported.output)["results"] == []  # drafts are not published


def test_bad_rows_are_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps([{**ENERGIE, "impacts": ["bonheur"]}]), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path), "--source", "cli"])
    assert isinstance(result.exception, InputError)
    assert "row 1" in result.output and "impacts" in result.output
