"""Every conformance case reproduces R's survey 4.1.1; the shipped copy matches ../shared."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from observatoire.survey.conformance import case_files, main, run_case

SHARED = Path(__file__).resolve().parents[2].parent / "shared"  # as tests/conftest.py
CASES = Path(__file__).parent / "conformance" / "rsurvey" / "cases"


@pytest.mark.parametrize("path", case_files(CASES), ids=lambda path: path.stem)
def test_case_matches_r(path: Path) -> None:
    result = run_case(path)
    assert result.passed, result.message


def test_runner_reports_and_exits_nonzero_on_a_failing_case(tmp_path: Path, capsys) -> None:
    source = CASES / "design_srs_fpc.mean_api00.json"
    (tmp_path / "cases").mkdir()
    (tmp_path / "data").symlink_to(CASES.parent / "data")
    case = json.loads(source.read_text())
    (tmp_path / "cases" / "good.json").write_text(json.dumps(case))
    case["expected"]["estimate"] = [case["expected"]["estimate"][0] + 1]
    (tmp_path / "cases" / "bad.json").write_text(json.dumps(case))
    assert main([str(tmp_path / "cases")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 passed, 1 failed"
    assert out[0].startswith("FAIL") and "estimate[0]" in out[0]
    assert out[1].startswith("PASS")


@pytest.mark.skipif(not (SHARED / "conformance").is_dir(), reason="no ../shared beside the repo")
def test_copy_matches_shared_cases() -> None:
    shared = SHARED / "conformance" / "rsurvey"
    local = CASES.parent
    for folder in ("cases", "data"):
        names = sorted(p.name for p in (shared / folder).iterdir())
        assert names == sorted(p.name for p in (local / folder).iterdir())
        _, mismatch, errors = filecmp.cmpfiles(
            shared / folder, local / folder, names, shallow=False
        )
        assert not mismatch and not errors
    assert filecmp.cmp(shared / "VERSION.txt", local / "VERSION.txt", shallow=False)
