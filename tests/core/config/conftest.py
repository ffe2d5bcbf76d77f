"""Helpers for configuration tests: a project directory to write config files into."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``name`` with ``text`` into a fresh project directory; returns the directory."""

    def write(name: str, text: str) -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write
