"""Helpers for built-in agent tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atp_core.agents import resolve_agent
from atp_core.protocol import Context, Event, Request, Response, Task

RequestFactory = Callable[..., Request]
Runner = Callable[..., Any]


def build_request(
    description: str, workspace: Path | None = None, run_number: int = 1, **task: Any
) -> Request:
    """A request for run ``run_number`` of test ``t-1``."""
    return Request(
        task_id=f"t-1-run-{run_number}",
        task=Task(description=description, **task),
        context=Context(workspace_path=str(workspace)) if workspace else None,
        metadata={"test_id": "t-1", "test_name": "one", "run_number": run_number, "total_runs": 9},
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace directory for one run."""
    path = tmp_path / "workspace"
    path.mkdir()
    return path


@pytest.fixture
def make_request() -> RequestFactory:
    """Builds requests: ``make_request(description, workspace=None, run_number=1, **task)``."""
    return build_request


async def run_agent(
    name: str, request: Request, **params: Any
) -> tuple[list[Event], Response | None]:
    """Run built-in agent ``name`` directly: its events and its response."""
    info, full = resolve_agent(name, params)
    events: list[Event] = []
    async for item in info.handler(request, full):
        if isinstance(item, Response):
            return events, item
        events.append(item)
    return events, None


@pytest.fixture
def run() -> Runner:
    """``await run(name, request, **params) -> (events, response)``."""
    return run_agent
