"""`observatoire territory show` and `search`: in process for the output, and once as a user
runs it for the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner, Result

from observatoire.cli.territory import app


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_show_charenton_json() -> None:
    result = run("show", "94018", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "Charenton-le-Pont" and data["kind"] == "commune"
    assert data["size_class"] == "20000-50000"
    assert data["epci_name"] == "Métropole du Grand Paris"
    assert data["ept_name"] == "Paris Est Marne et Bois"
    assert (data["region"], data["region_name"]) == ("11", "Île-de-France")
    assert (data["study_region"], data["study_region_name"]) == ("11", "Île-de-France")
    assert isinstance(data["population"], int)


def test_show_ajaccio_json() -> None:
    data = json.loads(run("show", "2A004", "--json").stdout)
    assert data["name"] == "Ajaccio"
    assert data["study_region"] == "93"
    assert data["study_region_name"] == "Provence-Alpes-Côte d'Azur + Corse"


def test_show_region_with_adult_population_and_ept_members() -> None:
    data = json.loads(run("show", "REG-11", "--json").stdout)
    assert data["kind"] == "region" and data["adult_population"]["year"] == 2022
    ept = json.loads(run("show", "200057941", "--json").stdout)
    assert (ept["kind"], ept["members_count"]) == ("ept", 13)


def test_show_human_readable_in_french() -> None:
    result = run("show", "75018")
    assert result.exit_code == 0
    assert "Charenton-le-Pont (commune 94018)" in result.stdout
    assert "Ancien code :" in result.stdout
    assert "28\u202f830 habitants" in result.stdout or "28 830 habitants" in result.stdout


def test_unknown_or_ambiguous_code_exits_2_with_one_sentence() -> None:
    for code, message in (("99999", "unknown territory code '99999'"), ("11", "REG-11")):
        result = subprocess.run(
            [sys.executable, "-m", "observatoire", "territory", "show", code],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2
        assert message in " ".join(result.stderr.split())
        assert "Traceback" not in result.stderr
    assert run("show", "11", "--kind", "department", "--json").exit_code == 0


def test_search_lists_matches() -> None:
    result = run("search", "charenton", "--limit", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("94018") and "Charenton-le-Pont" in lines[0]
    found = json.loads(run("search", "marne", "--kind", "ept", "--json").stdout)
    assert [t["code"] for t in found] == ["200057941"]


def test_frame_json_and_table_agree_with_the_package() -> None:
    from observatoire import territory

    data = json.loads(run("frame", "--json").stdout)
    assert data["total"] == territory.commune_frame().total
    assert sum(c["communes"] for c in data["cells"]) == data["total"]
    assert len(data["cells"]) == 48
    table = run("frame")
    assert table.exit_code == 0, table.output
    assert "Provence-Alpes-Côte d'Azur" in table.stdout
    assert "decoupage-administratif" in table.stdout
