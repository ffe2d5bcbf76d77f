"""Helpers to run the ``atp`` command as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Atp = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def atp(tmp_path: Path) -> Atp:
    """Run ``python -m atp_cli ARGS`` in ``tmp_path`` and capture its output."""

    def run(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "atp_cli", *args],
            cwd=cwd or tmp_path, env=full_env, capture_output=True, text=True,
            timeout=timeout, check=False, stdin=subprocess.DEVNULL,
        )

    return run

