"""The two workloads of ``bench_observability``, each runnable bare, off or on.

- ``core``: the core issue's 1,000-run in-process benchmark (``bench_overhead``): 1,000
  one-run tests, the echo agent through the real ``python`` adapter, one ``contains``
  check per test, parallel 4 (the CLI default), the collector setting of ``atp run``.
  Nothing logs at INFO per run there, so "on" measures ``instrument``, tracing and metrics
  plus the configured JSON pipeline.
- ``events``: a heavier one, 100 tests x 10 runs, a scripted agent that streams two
  ``llm_request`` events and logs one INFO line (with a header to redact) per run,
  parallel 8: eight spans and one redacted JSON line per run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog
from _common import ECHO, echo_path, echo_suite

from atp_core.protocol import (
    AgentSpec,
    AssertionSpec,
    CheckResult,
    EvalContext,
    Evaluator,
    Metrics,
    Request,
    RunSink,
    Suite,
    TaskSpec,
    TestCase,
)
from atp_core.runner import RunOptions, run_suite
from atp_core.testing import Reply, ScriptedAgent

Times = tuple[float, float, float]  # wall, CPU of this process, wall of finish()
log = structlog.get_logger("atp_core.adapters.bench")


class _Pass:
    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        return CheckResult(name="pass", status="passed")


def _evaluator(_spec: AssertionSpec) -> Evaluator:
    return _Pass()


def _llm(model: str) -> dict[str, Any]:
    payload = {"model": model, "provider": "openai", "input_tokens": 10, "output_tokens": 3}
    return {"event_type": "llm_request", "payload": payload}


def _script(request: Request) -> Reply:
    log.info("agent call", task_id=request.task_id, headers={"Authorization": "Bearer x"})
    return Reply(events=(_llm("a"), _llm("b")), metrics=Metrics(input_tokens=20, output_tokens=6))


def _events_suite() -> Suite:
    check = (AssertionSpec(type="pass", config={}),)
    task = TaskSpec(description="x")
    tests = tuple(
        TestCase(id=f"t{i}", name=f"T{i}", task=task, assertions=check, runs=10) for i in range(100)
    )
    return Suite(name="bench", tests=tests)


class Workload:
    """One suite, agent and options; ``run`` times one suite run."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "core":
            echo_path()
            self.suite, self.agent, self.runs = echo_suite(1000), ECHO, 1000
        else:
            self.suite, self.runs = _events_suite(), 1000
            self.agent = AgentSpec(name="bench", type="scripted")

    def options(self, root: Path) -> RunOptions:
        if self.name == "core":
            return RunOptions(workspace_root=root, parallel=4)
        agent = ScriptedAgent(_script)
        return RunOptions(
            evaluator_factory=_evaluator,
            adapter_factory=lambda _spec: agent,
            workspace_root=root,
            parallel=8,
        )

    async def run(
        self,
        options: RunOptions,
        sinks: list[RunSink],
        finish: Callable[[], object] = object,
    ) -> Times:
        """Wall and CPU seconds of the suite run plus ``finish()``; every run must pass."""
        start, cpu = time.perf_counter(), time.process_time()
        result = await run_suite(self.suite, self.agent, options, sinks)
        finishing = time.perf_counter()
        finish()
        end = time.perf_counter()
        passed = sum(t.verdict == "passed" for t in result.tests)
        if passed != len(self.suite.tests):
            raise SystemExit(f"bench_observability: {self.name}: only {passed} tests passed")
        return end - start, time.process_time() - cpu, end - finishing
