"""Result objects for reporter tests, built directly from the attrs types."""

from __future__ import annotations

from typing import Any

import pytest

from atp_core.protocol import (
    CheckResult,
    Event,
    FileArtifact,
    Metrics,
    RunRecord,
    StructuredArtifact,
    SuiteRunResult,
    TestResult,
    TestStats,
)


class Make:
    """Builders with sensible defaults; keyword arguments override any field."""

    def check(self, **kw: Any) -> CheckResult:
        fields: dict[str, Any] = {"name": "contains", "status": "passed", "score": 1.0}
        return CheckResult(**(fields | kw))

    def run(self, **kw: Any) -> RunRecord:
        fields: dict[str, Any] = {
            "test_id": "t-001", "run_number": 1, "agent": "echo", "status": "completed",
            "verdict": "passed", "score": 1.0, "started_at": "2025-01-01T00:00:00+00:00",
            "duration_seconds": 1.5, "checks": (self.check(),),
            "metrics": Metrics(total_tokens=100, cost_usd=0.01),
        }
        return RunRecord(**(fields | kw))

    def stats(self, **kw: Any) -> TestStats:
        fields: dict[str, Any] = {
            "n": 3, "passed": 3, "pass_rate": 1.0, "pass_rate_ci": (0.4385, 1.0), "k": 3,
            "pass_at_k": 1.0, "pass_hat_k": 1.0, "mean_score": 0.9, "std_score": 0.05,
            "score_ci": (0.78, 1.0), "min_score": 0.85, "max_score": 0.95,
            "mean_duration": 1.5, "mean_tokens": 100.0, "total_cost": 0.03, "flaky": False,
        }
        return TestStats(**(fields | kw))

    def test(self, **kw: Any) -> TestResult:
        fields: dict[str, Any] = {
            "test_id": "t-001", "name": "Create a file", "verdict": "passed",
            "reason": "all 3 runs passed", "stats": self.stats(),
            "runs": tuple(self.run(run_number=i) for i in (1, 2, 3)),
        }
        return TestResult(**(fields | kw))

    def suite(self, *tests: TestResult, **kw: Any) -> SuiteRunResult:
        fields: dict[str, Any] = {
            "id": "run-1", "suite": "demo", "agent": "echo",
            "started_at": "2025-01-01T00:00:00+00:00",
            "finished_at": "2025-01-01T00:00:12.5+00:00", "status": "completed",
            "tests": tests or (self.test(),), "atp_version": "0.1.0",
        }
        return SuiteRunResult(**(fields | kw))


@pytest.fixture
def make() -> Make:
    """The builders."""
    return Make()


@pytest.fixture
def mixed(make: Make) -> SuiteRunResult:
    """A suite run with a passing, a flaky failing, an error and a skipped-check test."""
    failing_run = make.run(
        test_id="t-002", run_number=2, verdict="failed", score=0.4,
        checks=(
            make.check(name="artifact_exists", status="failed", score=0.0,
                       message="hello.txt was not produced", critical=True),
            make.check(name="schema", status="skipped", score=None,
                       message="no structured artifact to validate"),
            make.check(name="contains"),
        ),
    )
    flaky = make.test(
        test_id="t-002", name="Flaky one", verdict="failed", reason="1 of 2 runs failed",
        stats=make.stats(n=2, passed=1, pass_rate=0.5, pass_rate_ci=(0.0945, 0.9055), k=2,
                         pass_at_k=1.0, pass_hat_k=0.25, mean_score=0.7, flaky=True),
        runs=(make.run(test_id="t-002"), failing_run),
    )
    crashed = make.test(
        test_id="t-003", name="Crashes", verdict="error", reason="the agent could not be run",
        stats=make.stats(n=1, passed=0, pass_rate=0.0, pass_rate_ci=(0.0, 0.7935), k=1,
                         pass_at_k=0.0, pass_hat_k=0.0, mean_score=0.0,
                         score_ci=(float("nan"), float("nan")), std_score=float("nan"),
                         errors=1),
        runs=(make.run(test_id="t-003", verdict="error", status="failed", score=0.0,
                       checks=(), error="process exited with code 139",
                       error_kind="crashed"),),
    )
    undecided = make.test(
        test_id="t-004", name="Undecided", runs=(make.run(test_id="t-004", checks=(
            make.check(), make.check(name="lint", status="skipped", score=None,
                                     message="ruff is not installed"))),),
        stats=make.stats(n=1, passed=1, k=1),
    )
    return make.suite(make.test(), flaky, crashed, undecided)


@pytest.fixture
def hostile(make: Make) -> SuiteRunResult:
    """A run whose agent put markup, control characters and CDATA ends everywhere."""
    evil = "<script>alert(1)</script> ]]> | a|b \x1b[31mred\x1b[0m \x00\x07 & \"q\" 'q'\nline2"
    run = make.run(
        verdict="failed", score=0.0, error=evil, error_kind="agent_failed",
        checks=(make.check(status="failed", score=0.0, message=evil,
                           details={"found": evil}),),
        artifacts=(FileArtifact(path="out.html", content=evil),
                   StructuredArtifact(name="data", data={"html": evil})),
        events=(Event(task_id="x", event_type="tool_call", timestamp="t", sequence=0,
                      payload={"tool": evil}),),
        protocol_warnings=(evil,),
    )
    test = make.test(test_id="t-evil", name=evil, verdict="failed", reason=evil,
                     runs=(run,), tags=(evil,),
                     stats=make.stats(n=1, passed=0, pass_rate=0.0, k=1, flaky=False))
    return make.suite(test, suite=evil, agent=evil, id="run-evil")
