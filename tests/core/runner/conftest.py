"""Builders and tiny evaluators for the runner's tests (independent of the real evaluators)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import pytest

from atp_core.protocol import (
    AgentSpec,
    AssertionSpec,
    CheckResult,
    EvalContext,
    Evaluator,
    RunSink,
    Suite,
    SuiteRunResult,
    TaskSpec,
    TestCase,
)
from atp_core.runner import RunOptions, run_suite
from atp_core.testing import FakeClock, MemorySink, Script, ScriptedAgent

AGENT = AgentSpec(name="scripted", type="scripted")


class Outcome:
    """Evaluator whose result is its config: ``status``, ``score``; ``crash`` raises."""

    def __init__(self, spec: AssertionSpec) -> None:
        self.config = spec.config

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Return the configured result, or crash if told to."""
        if self.config.get("crash"):
            raise RuntimeError("evaluator exploded")
        return CheckResult(
            name="outcome",
            status=self.config.get("status", "passed"),
            score=self.config.get("score"),
            message="configured",
        )


class FileHas:
    """Evaluator that passes when the workspace file ``path`` holds ``text``."""

    def __init__(self, spec: AssertionSpec) -> None:
        self.path = spec.config["path"]
        self.text = spec.config.get("text", "")

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Read the file from the run's workspace."""
        target = ctx.workspace / self.path
        ok = target.is_file() and self.text in target.read_text()
        return CheckResult(name="file_has", status="passed" if ok else "failed")


def evaluators(spec: AssertionSpec) -> Evaluator:
    """The evaluator factory the runner tests plug into ``RunOptions``."""
    if spec.type == "file_has":
        return FileHas(spec)
    return Outcome(spec)


def check(status: str = "passed", **extra: Any) -> AssertionSpec:
    """An ``outcome`` assertion with the given status and extra config/spec fields."""
    spec_keys = {"critical", "weight"}
    config = {"status": status, **{k: v for k, v in extra.items() if k not in spec_keys}}
    return AssertionSpec(
        type="outcome", config=config, **{k: v for k, v in extra.items() if k in spec_keys}
    )


def case(
    test_id: str = "t1",
    *,
    assertions: Sequence[AssertionSpec] = (check(),),
    runs: int = 1,
    **fields: Any,
) -> TestCase:
    """A test case with sensible defaults for runner tests."""
    task = fields.pop("task", TaskSpec(description=f"do {test_id}"))
    fields.setdefault("timeout_seconds", 10.0)
    return TestCase(
        id=test_id,
        name=f"Test {test_id}",
        task=task,
        assertions=tuple(assertions),
        runs=runs,
        **fields,
    )


def suite(*tests: TestCase) -> Suite:
    """A suite of the given tests."""
    return Suite(name="runner-suite", tests=tests)


def options(tmp_path: Any, **overrides: Any) -> RunOptions:
    """Run options for tests: fake clock, counted ids, the tiny evaluators, tmp workspaces."""
    counter = iter(range(1_000_000))
    base: dict[str, Any] = {
        "clock": FakeClock(),
        "new_id": lambda: f"id{next(counter)}",
        "evaluator_factory": evaluators,
        "workspace_root": tmp_path / "ws",
    }
    base.update(overrides)
    return RunOptions(**base)


async def run(
    the_suite: Suite,
    script: Script | ScriptedAgent,
    opts: RunOptions,
    sinks: Sequence[RunSink] = (),
) -> tuple[SuiteRunResult, ScriptedAgent, MemorySink]:
    """Run ``the_suite`` against a scripted agent, collecting runner events."""
    agent = script if isinstance(script, ScriptedAgent) else ScriptedAgent(script)
    memory = MemorySink()
    opts = attrs.evolve(opts, adapter_factory=lambda _spec: agent)
    result = await run_suite(the_suite, AGENT, opts, [memory, *sinks])
    return result, agent, memory


class Kit:
    """The builders above, bound to the test's temporary directory."""

    def __init__(self, tmp_path: Any) -> None:
        self.tmp_path = tmp_path
        self.case = case
        self.check = check
        self.suite = suite
        self.run = run

    def options(self, **overrides: Any) -> RunOptions:
        """Run options with workspaces under the test's temporary directory."""
        return options(self.tmp_path, **overrides)


@pytest.fixture
def kit(tmp_path: Any) -> Kit:
    """Builders for suites, options and scripted runs."""
    return Kit(tmp_path)
