"""Fixtures for the sandbox tests: a workspace, and bwrap (skipped visibly if it cannot run)."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest

from atp_core.sandbox import probe_sandbox


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace directory, with a sibling directory standing for the host."""
    ws = tmp_path / "ws"
    ws.mkdir()
    (tmp_path / "host").mkdir()
    return ws


@pytest.fixture(scope="session")
def bwrap_ready() -> None:
    """Skip (with the probe's reason) when bubblewrap truly cannot run here."""
    probe = anyio.run(probe_sandbox)
    if probe.bwrap_problem is not None:
        if os.environ.get("ATP_REQUIRE_SERVICES"):
            pytest.fail(f"bwrap cannot run here and CI requires it: {probe.bwrap_problem}")
        pytest.skip(f"bwrap cannot run here: {probe.bwrap_problem}")
