"""Issue 9, item 9: the API contract did not hold (a 500 on a schema-valid search, a schema-valid
request rejected, five undocumented status codes). schemathesis (the OpenAPI fuzzer) runs here
against the whole API read from /api/openapi.json — every route of every app, those added later
too — with every check, every phase (stateful included: it chains a created fiche into its reads
and updates) and a contributor's token, on SQLite and again on PostgreSQL. Examples per operation
are bounded to keep the suite's time; the seed is fixed, so a failure replays.
`schemathesis.toml` beside this file says which answers JSON Schema cannot state, and why.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 10


@pytest.fixture
def contributor_key(transactional_db: None) -> str:
    """Content to read (the seed fiches, funds and support structures) and a contributor's key."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from observatoire.platform.accounts import tokens
    from observatoire.platform.alliances.content import load_seed as load_fiches
    from observatoire.platform.funds.content import load_content as load_funds
    from observatoire.platform.support.content import load_seed as load_structures

    load_fiches()
    load_funds()
    load_structures()
    user = get_user_model().objects.create_user("fuzz", password="x")
    user.groups.add(Group.objects.get(name="Contributeurs"))
    return tokens.issue(user, "schemathesis")[1]


@pytest.mark.slow
def test_the_api_contract_holds_under_schemathesis(
    live_server: Any, contributor_key: str, tmp_path: Path
) -> None:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server.url}/api/openapi.json",
        "--checks=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={MAX_EXAMPLES}",
        "--seed=17",
        "--workers=1",
        "--generation-database=none",
        "--request-timeout=60",
        "--no-color",
        f"--header=Authorization: Bearer {contributor_key}",
        f"--report-dir={tmp_path}",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1500, cwd=tmp_path)
    report = run.stdout[-20_000:] + run.stderr[-5_000:]
    assert run.returncode == 0, report
    assert "No issues found" in run.stdout or " passed" in run.stdout, report
    print(run.stdout[-3_000:])  # schemathesis' summary (operations, cases), shown by pytest -rP
