"""Shared test configuration: the anyio backend and service probes."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio (the backend the CLI uses)."""
    return "asyncio"
