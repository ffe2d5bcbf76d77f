"""Builders for evaluation contexts made of real protocol objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest

from atp_core.evaluators import build_evaluator
from atp_core.protocol import (
    Artifact,
    AssertionSpec,
    CheckResult,
    EvalContext,
    Event,
    Metrics,
    Request,
    Response,
    Task,
    TaskSpec,
    TestCase,
)


class Kit:
    """Builds runs (request, response, events, workspace) and evaluates assertions on them."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace

    def ctx(
        self,
        *,
        artifacts: list[Artifact] | None = None,
        events: list[Event] | None = None,
        tool_calls: int | None = None,
        error: str | None = None,
        workspace: Path | None = None,
    ) -> EvalContext:
        """A context for one completed run."""
        return make_ctx(
            self.workspace if workspace is None else workspace,
            artifacts=artifacts,
            events=events,
            tool_calls=tool_calls,
            error=error,
        )

    def write(self, relative: str, content: str | bytes) -> Path:
        """Create a workspace file."""
        target = self.workspace / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    @staticmethod
    def tool(sequence: int, tool: str, **payload: Any) -> Event:
        """A ``tool_call`` event."""
        return tool_event(sequence, tool, **payload)

    @staticmethod
    def error(sequence: int, message: str, error_type: str | None = None) -> Event:
        """An ``error`` event."""
        return error_event(sequence, message, error_type)

    @staticmethod
    async def check(
        type_name: str, config: dict[str, Any], ctx: EvalContext, **spec: Any
    ) -> CheckResult:
        """Build the evaluator through the registry and evaluate ``ctx``."""
        return await check(type_name, config, ctx, **spec)

    @staticmethod
    def check_sync(type_name: str, config: dict[str, Any], ctx: EvalContext) -> CheckResult:
        """``check`` for synchronous callers such as hypothesis tests."""
        return check_sync(type_name, config, ctx)


def make_ctx(
    workspace: Path,
    *,
    artifacts: list[Artifact] | None = None,
    events: list[Event] | None = None,
    tool_calls: int | None = None,
    error: str | None = None,
) -> EvalContext:
    """A context built from real Request/Response/Event objects."""
    request = Request(task_id="run-1", task=Task(description="do it"))
    response = Response(
        task_id="run-1",
        status="failed" if error else "completed",
        artifacts=list(artifacts or []),
        metrics=Metrics(tool_calls=tool_calls),
        error=error,
    )
    test = TestCase(id="t-1", name="t", task=TaskSpec(description="do it"))
    return EvalContext(
        test=test,
        request=request,
        response=response,
        events=tuple(events or ()),
        workspace=workspace,
    )


def tool_event(sequence: int, tool: str, **payload: Any) -> Event:
    """A ``tool_call`` event."""
    return Event(
        task_id="run-1",
        event_type="tool_call",
        timestamp="2025-01-01T00:00:00Z",
        sequence=sequence,
        payload={"tool": tool, **payload},
    )


def error_event(sequence: int, message: str, error_type: str | None = None) -> Event:
    """An ``error`` event."""
    payload: dict[str, Any] = {"message": message, "recoverable": True}
    if error_type:
        payload["error_type"] = error_type
    return Event(
        task_id="run-1",
        event_type="error",
        timestamp="2025-01-01T00:00:00Z",
        sequence=sequence,
        payload=payload,
    )


async def check(
    type_name: str, config: dict[str, Any], ctx: EvalContext, **spec: Any
) -> CheckResult:
    """Build the evaluator through the registry and evaluate ``ctx``."""
    evaluator = build_evaluator(AssertionSpec(type=type_name, config=config, **spec))
    return await evaluator.evaluate(ctx)


def check_sync(type_name: str, config: dict[str, Any], ctx: EvalContext) -> CheckResult:
    """``check`` for synchronous callers such as hypothesis tests."""

    async def go() -> CheckResult:
        return await check(type_name, config, ctx)

    return anyio.run(go)


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    """A kit whose workspace is an empty temporary directory."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    return Kit(workspace)
