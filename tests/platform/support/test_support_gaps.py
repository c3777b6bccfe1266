"""Zones blanches: coverage by department from the directory, and requests without a local door
counted per month, department, actor type and need (nothing about the person)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from observatoire.platform.support import gaps
from observatoire.platform.support.models import GapCount
from observatoire.platform.support.orientation import clean_query, orient

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)


def _state(rows: list[gaps.DepartmentCoverage], code: str) -> tuple[str, int, int]:
    (row,) = [r for r in rows if r.department.code == code]
    return row.state, row.whole, row.part


def test_coverage_by_department(directory: Any) -> None:
    rows = gaps.coverage()
    assert len(rows) == 101
    assert _state(rows, "94") == (gaps.COVERED, 2, 2)  # DLA 94 + IDF funder; Charenton, EPT
    assert _state(rows, "75") == (gaps.COVERED, 1, 0)  # the regional funder only
    assert _state(rows, "23") == (gaps.NONE, 0, 0)  # national services do not count
    rows = gaps.coverage(actor_type="associations", need="outils-ressources")
    assert _state(rows, "94") == (gaps.PARTIAL, 0, 1)  # only the maison of Charenton
    assert _state(rows, "92") == (gaps.NONE, 0, 0)
    rows = gaps.coverage(actor_type="entreprises", need="financement-direct")
    assert {_state(rows, c)[0] for c in ("75", "77", "78", "91", "92", "93", "94", "95")} == {
        gaps.COVERED
    }


def test_requests_without_a_local_door_are_counted(directory: Any) -> None:
    company = clean_query(
        actor_type="entreprises", commune="23096", needs=["financement-direct", "reseaux"]
    )
    for _ in range(2):
        gaps.record(orient(company, day=DAY))
    association = clean_query(actor_type="associations", commune="23096")
    gaps.record(orient(association, day=DAY))
    covered = clean_query(actor_type="associations", commune="94018", needs=["ingenierie"])
    gaps.record(orient(covered, day=DAY))  # not a zone blanche: nothing counted
    rows = sorted(
        GapCount.objects.values_list("month", "department", "actor_type", "need", "count")
    )
    assert rows == [
        ("2026-12", "23", "associations", "", 1),
        ("2026-12", "23", "entreprises", "financement-direct", 2),
        ("2026-12", "23", "entreprises", "reseaux", 2),
    ]
    assert gaps.recorded() == {"23": 5}
    assert gaps.recorded(actor_type="entreprises", need="reseaux") == {"23": 2}
    assert _state(gaps.coverage(), "23")[0] == gaps.NONE
    (creuse,) = [r for r in gaps.coverage() if r.department.code == "23"]
    assert creuse.gaps == 5
