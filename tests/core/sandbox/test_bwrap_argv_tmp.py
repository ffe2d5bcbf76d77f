"""A Python environment or tool under /tmp stays visible inside the sandbox."""

from __future__ import annotations

from pathlib import Path

from atp_core.sandbox._bwrap import bwrap_argv


def test_read_only_binds_under_tmp_come_after_the_private_tmp(tmp_path: Path) -> None:
    """A checkout's venv in /tmp is bound after the tmpfs that would otherwise hide it."""
    tool = tmp_path / "venv"
    tool.mkdir()
    argv = bwrap_argv(["true"], tmp_path / "ws", extra_ro=[tool])
    tmpfs = argv.index("--tmpfs")
    assert argv[tmpfs + 1] == "/tmp"
    bind = argv.index(str(tool.resolve()))
    assert argv[bind - 1] == "--ro-bind"
    assert bind > tmpfs
