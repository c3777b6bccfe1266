"""Issue 9, item 10: every instance shared one gunicorn control socket (gunicorn's default is one
path per user), so a second `observatoire serve` took over the first one's."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.cli import platform


def test_every_instance_has_its_own_gunicorn_control_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBSERVATOIRE_DATA_DIR", str(tmp_path / "a"))
    first, second = platform._control_socket(8000), platform._control_socket(8001)
    monkeypatch.setenv("OBSERVATOIRE_DATA_DIR", str(tmp_path / "b"))
    other_folder = platform._control_socket(8000)
    assert len({first, second, other_folder}) == 3
    assert first == str(tmp_path / "a" / "gunicorn-8000.ctl")
    monkeypatch.setenv("OBSERVATOIRE_DATA_DIR", str(tmp_path / ("x" * 120)))
    assert platform._control_socket(8000) is None  # too long for a Unix socket: none at all
