"""Reference agents of the benchmark registry: a trivial one, a cheating one and a solver.

- ``ref-trivial`` does nothing useful: it completes with no artifacts at all.
- ``ref-cheater`` answers in the expected *format* with fixed content and never calls a
  tool: an ``answer`` artifact, an empty review and every expected file holding fixed text.
  A benchmark that it passes measures the format, not the task.
- ``ref-solver`` solves the tasks of the shipped benchmarks (dispatching on the test id's
  prefix): it computes answers for reasoning, mathematics, data processing and research
  and applies a known-solution table for coding, so it is a reference upper bound.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from atp_core.agents._core import Emitter, file_artifact, usage
from atp_core.agents._reference_coding import solve_coding
from atp_core.agents._reference_data import solve_data
from atp_core.agents._reference_reasoning import solve_reasoning
from atp_core.agents._reference_research import solve_research
from atp_core.protocol import Artifact, Event, Request, Response, StructuredArtifact

CHEAT_TEXT = "The answer is 42."

Solver = Callable[[Request], Awaitable[list[Artifact]]]
_SOLVERS: dict[str, Solver] = {
    "lr": solve_reasoning, "math": solve_reasoning,
    "csv": solve_data, "json": solve_data,
    "wr": solve_research, "sum": solve_research,
    "cg": solve_coding, "bf": solve_coding, "cr": solve_coding,
}


async def ref_trivial(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Complete at once with nothing: the floor every benchmark score starts from."""
    metrics = usage(request.task.description, "", steps=1, tool_calls=0, seconds=0.0)
    yield Emitter(request).response([], metrics)


async def ref_cheater(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Answer every task in its format with fixed text; never call a tool."""
    artifacts: list[Artifact] = [
        StructuredArtifact(name="answer", data={"answer": CHEAT_TEXT}),
        StructuredArtifact(name="review", data={"findings": []}),
    ]
    for path in request.task.expected_artifacts or []:
        artifacts.append(file_artifact(path, CHEAT_TEXT + "\n"))
    metrics = usage(request.task.description, CHEAT_TEXT, steps=1, tool_calls=0, seconds=0.0)
    yield Emitter(request).response(artifacts, metrics)


async def ref_solver(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Solve a shipped benchmark task; fail (status ``failed``) on a task it does not know."""
    started = time.monotonic()
    emit = Emitter(request)
    test_id = str(request.metadata.get("test_id", ""))
    solver = _SOLVERS.get(test_id.partition("-")[0])
    if solver is None:
        metrics = usage(request.task.description, "", 1, 0, time.monotonic() - started)
        yield emit.response([], metrics, status="failed",
                            error=f"ref-solver knows no benchmark task {test_id!r}")
        return
    try:
        artifacts = await solver(request)
    except ValueError as exc:
        metrics = usage(request.task.description, "", 1, 0, time.monotonic() - started)
        yield emit.response([], metrics, status="failed", error=f"could not solve: {exc}")
        return
    text = " ".join(str(a) for a in artifacts)
    yield emit.response(artifacts, usage(request.task.description, text, 1, 0,
                                         time.monotonic() - started))
