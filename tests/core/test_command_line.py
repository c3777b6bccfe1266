"""The command line: exit codes and one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "observatoire", *args], capture_output=True, text=True, check=False
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "serve", "vocabularies"):
        assert command in result.stdout


def test_vocabulary_export_is_json() -> None:
    result = run("vocabularies", "export", "impacts")
    assert result.returncode == 0
    assert [t["code"] for t in json.loads(result.stdout)["impacts"]["terms"]] == [
        "performance",
        "innovation",
        "confiance",
    ]


def test_bad_input_exits_2_with_one_sentence_and_no_traceback() -> None:
    result = run("vocabularies", "export", "nope")
    assert result.returncode == 2
    assert "unknown vocabulary 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_usage_exits_2() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
