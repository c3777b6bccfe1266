"""data·inclusion import (dry run, all or nothing, idempotent, provenance, bad records named by
file, row and field) and export (valid against the schema package, fictitious rows flagged)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from data_inclusion.schema import v1

from observatoire import vocabularies
from observatoire.platform.support import exports
from observatoire.platform.support.importers import import_files
from observatoire.platform.support.models import CurationEvent, State, Structure

pytestmark = pytest.mark.django_db


def _structure(sid: str, **changes: Any) -> dict[str, Any]:
    return {
        "source": "dora",
        "id": f"dora--{sid}",
        "nom": f"Association {sid}",
        "date_maj": "2025-06-01",
        "code_insee": "94018",
        "reseaux_porteurs": ["mission-locale"],
        **changes,
    }


def _service(sid: str, structure: str, **changes: Any) -> dict[str, Any]:
    return {
        "source": "dora",
        "id": f"dora--{sid}",
        "structure_id": f"dora--{structure}",
        "nom": f"Service {sid}",
        "description": "Accompagnement des jeunes vers l'emploi.",
        "date_maj": "2025-06-01",
        "zone_eligibilite": ["94"],
        "publics": ["jeunes"],
        **changes,
    }


def _files(tmp_path: Path, structures: list, services: list) -> tuple[Path, Path]:
    a, b = tmp_path / "structures.json", tmp_path / "services.json"
    a.write_text(json.dumps(structures), "utf-8")
    b.write_text(json.dumps(services), "utf-8")
    return a, b


def test_dry_run_import_reimport_and_update(tmp_path: Path) -> None:
    files = _files(
        tmp_path, [_structure("a"), _structure("b")], [_service("s1", "a"), _service("s2", "b")]
    )
    dry = import_files(*files, source="dora", dry_run=True)
    assert (dry.created, dry.saved, dry.errors) == (2, False, [])
    assert "dry run: nothing was saved" in dry.lines()
    assert Structure.objects.count() == 0

    first = import_files(*files, source="dora")
    assert (first.created, first.saved) == (2, True)
    a = Structure.objects.get(import_id="dora--a")
    assert a.state == State.DRAFT  # imports wait for the curators
    assert (a.source_name, a.licence, a.structure_type) == (
        "dora",
        "Licence Ouverte 2.0",
        "mission-locale",
    )
    assert a.raw_record["structure"]["nom"] == "Association a"
    service = a.services.get()
    assert (service.zones, service.publics, service.import_id) == (
        ["DEP-94"],
        ["jeunes"],
        "dora--s1",
    )

    events = CurationEvent.objects.count()
    again = import_files(*files, source="dora")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert CurationEvent.objects.count() == events  # nothing touched

    a.state = State.PUBLISHED
    a.save()
    files = _files(
        tmp_path,
        [_structure("a", nom="Association A renommée"), _structure("b")],
        [_service("s1", "a"), _service("s2", "b")],
    )
    changed = import_files(*files, source="dora")
    assert (changed.updated, changed.unchanged) == (1, 1)
    a.refresh_from_db()
    assert (a.name, a.state) == ("Association A renommée", State.PUBLISHED)
    assert a.services.get().pk == service.pk  # the service kept its id


def test_bad_records_are_named_and_nothing_is_saved(tmp_path: Path) -> None:
    structures = [
        _structure("a"),
        _structure("b", nom="ab"),  # too short for the schema
        _structure("c", siret="13003013300017"),  # 14 digits but a wrong key: ours
        _structure("a"),  # duplicate id
        _structure("d"),
    ]
    services = [
        _service("s1", "a", zone_eligibilite=["00000"]),
        _service("s2", "zzz"),  # no such structure
        _service("s3", "d", observatoire={"support_forms": ["magie"]}),
    ]
    report = import_files(*_files(tmp_path, structures, services), source="dora")
    assert not report.saved
    lines = [str(e).removeprefix(f"{tmp_path}/") for e in report.errors]
    forms = ", ".join(vocabularies.SUPPORT_FORMS.codes)
    assert lines == [
        "services.json, row 1: field 'zone_eligibilite': unknown territory code '00000': "
        "expected a commune INSEE code (94018, 2A004), an EPCI or EPT SIREN (9 digits), a "
        "department (DEP-94, DEP-2A), a region (REG-11) or FR",
        "services.json, row 2: field 'structure_id': 'dora--zzz' is not a structure of the import",
        f"services.json, row 3: field 'support_forms': unknown code(s) 'magie' (allowed: {forms})",
        "structures.json, row 2: field 'nom': data·inclusion schema: String should have at least "
        "3 characters",
        "structures.json, row 3: field 'siret': '13003013300017' fails the SIRET check digit "
        "(Luhn)",
        "structures.json, row 4: field 'id': id 'dora--a' already used on row 1",
    ]
    assert Structure.objects.count() == 0


def test_export_is_valid_data_inclusion_and_imports_back(tmp_path: Path, directory: Any) -> None:
    directory["dla-94"].is_fictitious = True
    directory["dla-94"].save()
    document = json.loads(exports.to_json(base_url="https://observatoire.example"))
    assert "FICTIVES" in document["notice"]
    assert len(document["structures"]) == 7 and len(document["services"]) == 7
    for record in document["structures"]:
        v1.Structure.model_validate(record)
    for record in document["services"]:
        v1.Service.model_validate(record)
    dla = next(r for r in document["structures"] if r["id"] == "test--dla-94")
    assert dla["observatoire"]["is_fictitious"] is True
    assert dla["lien_source"].startswith("https://observatoire.example/annuaire/")
    idf = next(r for r in document["services"] if r["structure_id"] == "test--fonds-idf")
    assert idf["zone_eligibilite"] == ["75", "77", "78", "91", "92", "93", "94", "95"]

    path = tmp_path / "annuaire.json"
    path.write_text(exports.to_json(), "utf-8")
    report = import_files(path, source="copie")
    assert (report.created, report.errors) == (7, [])
    copy = Structure.objects.get(source_name="copie", import_id="test--fonds-idf")
    assert copy.services.get().zones == ["REG-11"]  # the region comes back whole
    assert Structure.objects.get(source_name="copie", import_id="test--dla-94").is_fictitious
    assert import_files(path, source="copie").unchanged == 7


def test_csv_export_flags_fictitious_rows_and_imports_back(tmp_path: Path, directory: Any) -> None:
    directory["maison-charenton"].is_fictitious = True
    directory["maison-charenton"].save()
    structures_csv = exports.to_csv("structures")
    rows = list(csv.DictReader(io.StringIO(structures_csv)))
    flagged = {r["id"]: r["observatoire.notice"] for r in rows}
    assert flagged["test--maison-charenton"] == "Structure fictive (démonstration)"
    assert flagged["test--dla-94"] == ""
    (tmp_path / "structures.csv").write_text(structures_csv, "utf-8")
    (tmp_path / "services.csv").write_text(exports.to_csv("services"), "utf-8")
    report = import_files(tmp_path / "structures.csv", tmp_path / "services.csv", source="csv")
    assert (report.created, report.errors) == (7, [])
    copy = Structure.objects.get(source_name="csv", import_id="test--incubateur-pemb")
    service = copy.services.get()
    assert (service.zones, service.innovation_stages) == (["EPT-200057941"], ["emergence"])


def test_a_bad_csv_row_is_named_with_its_row(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        "source,id,nom,date_maj\ndora,dora--a,Asso A,2025-01-01\n", "utf-8"
    )
    (tmp_path / "v.csv").write_text(
        "source,id,structure_id,nom,description,date_maj,zone_eligibilite,observatoire.support_forms\n"
        "dora,dora--1,dora--a,Service,Une description,2025-01-01,94|92,reseaux\n"
        "dora,dora--2,dora--a,Service 2,Une description,2025-01-01,94,magie|reseaux\n",
        "utf-8",
    )
    report = import_files(tmp_path / "s.csv", tmp_path / "v.csv", source="dora")
    assert [(Path(e.file).name, e.row) for e in report.errors] == [("v.csv", 3)]
    assert "'magie'" in report.errors[0].message
