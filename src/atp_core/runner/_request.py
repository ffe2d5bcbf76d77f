"""Building the request for one run, and the adapter reference stored with it."""

from __future__ import annotations

import re
from typing import Any

import attrs

from atp_core.protocol import (
    AgentSpec,
    ComponentRef,
    Constraints,
    Context,
    Request,
    Task,
    TestCase,
)

_NOT_TASK_ID = re.compile(r"[^A-Za-z0-9_-]")
_SECRET_WORDS = (
    "secret",
    "token",
    "password",
    "passwd",
    "api_key",
    "apikey",
    "authorization",
    "credential",
    "private_key",
    "cookie",
)
MASK = "***"


def task_id_for(test_id: str, run_number: int, unique: str) -> str:
    """A task id of ``[A-Za-z0-9_-]``, at most 128 chars, unique through ``unique``."""
    suffix = f"-r{run_number}-{_NOT_TASK_ID.sub('_', unique)[:12]}"
    head = _NOT_TASK_ID.sub("_", test_id)[: 128 - len(suffix)]
    return head + suffix


@attrs.frozen(kw_only=True)
class RunPlace:
    """Where one run stands: its test, number, planned total and workspace."""

    test: TestCase
    run_number: int
    total_runs: int
    suite: str
    workspace: str


RequestParts = tuple[Task, Constraints]


def build_request(place: RunPlace, task_id: str, parts: RequestParts | None = None) -> Request:
    """The ATP request for one run; the deadline travels in the constraints.

    ``parts`` are ``request_parts(place.test)``, passed in when the caller keeps them.
    """
    test = place.test
    task, constraints = parts or request_parts(test)
    return Request(
        task_id=task_id,
        task=task,
        constraints=constraints,
        context=Context(workspace_path=place.workspace),
        metadata={
            "test_id": test.id,
            "test_name": test.name,
            "run_number": place.run_number,
            "total_runs": place.total_runs,
            "suite": place.suite,
        },
    )


def request_parts(test: TestCase) -> RequestParts:
    """What every run of ``test`` sends alike (frozen, so shared by all of its requests)."""
    constraints = test.constraints
    if constraints.timeout_seconds is None:
        constraints = attrs.evolve(constraints, timeout_seconds=test.timeout_seconds)
    task = Task(
        description=test.task.description,
        input_data=test.task.input_data,
        expected_artifacts=test.task.expected_artifacts,
    )
    return task, constraints


def agent_ref(agent: AgentSpec) -> ComponentRef:
    """The agent's name, type and config, with secret-looking values masked."""
    return ComponentRef(name=agent.name, type=agent.type, config=redact(agent.config))


def redact(value: Any) -> Any:
    """A copy of ``value`` where values under secret-looking keys are masked."""
    if isinstance(value, dict):
        return {k: MASK if _is_secret_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _is_secret_key(key: object) -> bool:
    lowered = str(key).lower().replace("-", "_")
    return any(word in lowered for word in _SECRET_WORDS)
