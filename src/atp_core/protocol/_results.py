"""What a run of a suite produces: checks, run records, test results, suite results."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from atp_core.protocol._wire import Artifact, Event, Metrics

RESULT_VERSION = 1

CheckStatus = Literal["passed", "failed", "skipped", "error"]
Verdict = Literal["passed", "failed", "error"]


@attrs.frozen(kw_only=True)
class CheckResult:
    """The outcome of one assertion or constraint check on one run.

    ``skipped`` means the check could not be decided; it never counts as passed.
    ``error`` means the evaluator itself failed.
    """

    name: str
    status: CheckStatus
    score: float | None = None
    message: str = ""
    critical: bool = False
    weight: float = 1.0
    details: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen(kw_only=True)
class ScoreComponents:
    """The four score components; ``None`` means unmeasured (its weight is spread)."""

    quality: float | None = None
    completeness: float | None = None
    efficiency: float | None = None
    cost: float | None = None


@attrs.frozen(kw_only=True)
class ComponentRef:
    """Name and arguments of an adapter or evaluator used, so a run can be replayed."""

    name: str
    type: str
    config: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen(kw_only=True)
class RunRecord:
    """Everything about one attempt of one test."""

    test_id: str
    run_number: int
    agent: str
    status: str
    verdict: Verdict
    score: float
    started_at: str
    duration_seconds: float
    version: int = RESULT_VERSION
    components: ScoreComponents = attrs.Factory(ScoreComponents)
    checks: tuple[CheckResult, ...] = ()
    error: str | None = None
    error_kind: str | None = None
    metrics: Metrics = attrs.Factory(Metrics)
    events: tuple[Event, ...] = ()
    artifacts: tuple[Artifact, ...] = ()
    protocol_warnings: tuple[str, ...] = ()
    trace_id: str | None = None
    adapter: ComponentRef | None = None
    workspace: str | None = None


@attrs.frozen(kw_only=True)
class TestStats:
    """Aggregate statistics of a test's runs (SPEC §3)."""

    __test__ = False  # not a pytest test class, despite the name

    n: int
    passed: int
    pass_rate: float
    pass_rate_ci: tuple[float, float]
    k: int
    pass_at_k: float
    pass_hat_k: float
    mean_score: float
    std_score: float
    score_ci: tuple[float, float]
    min_score: float
    max_score: float
    mean_duration: float
    mean_tokens: float | None
    total_cost: float | None
    flaky: bool
    errors: int = 0


@attrs.frozen(kw_only=True)
class TestResult:
    """A test with all its runs, their statistics and its verdict."""

    __test__ = False  # not a pytest test class, despite the name

    test_id: str
    name: str
    verdict: Verdict
    reason: str
    stats: TestStats
    runs: tuple[RunRecord, ...]
    tags: tuple[str, ...] = ()
    pass_policy: str = "all"  # noqa: S105 - a policy name, not a password


SuiteStatus = Literal["completed", "interrupted", "stopped_early"]


@attrs.frozen(kw_only=True)
class SuiteRunResult:
    """The result of running one suite against one agent."""

    id: str
    suite: str
    agent: str
    started_at: str
    finished_at: str
    status: SuiteStatus
    tests: tuple[TestResult, ...]
    version: int = RESULT_VERSION
    suite_version: str = "1.0"
    atp_version: str = ""

    @property
    def counts(self) -> dict[str, int]:
        """Tests per verdict."""
        out = {"passed": 0, "failed": 0, "error": 0}
        for t in self.tests:
            out[t.verdict] += 1
        return out


@attrs.frozen(kw_only=True)
class SuiteStarted:
    """Runner event: a suite run began."""

    suite_run_id: str
    suite: str
    agent: str
    total_runs: int
    test_ids: tuple[str, ...]
    started_at: str


@attrs.frozen(kw_only=True)
class RunStarted:
    """Runner event: one attempt began."""

    suite_run_id: str
    test_id: str
    run_number: int


@attrs.frozen(kw_only=True)
class RunFinished:
    """Runner event: one attempt ended and was evaluated."""

    suite_run_id: str
    record: RunRecord


@attrs.frozen(kw_only=True)
class TestFinished:
    """Runner event: every run of a test ended."""

    __test__ = False  # not a pytest test class, despite the name

    suite_run_id: str
    result: TestResult


@attrs.frozen(kw_only=True)
class SuiteFinished:
    """Runner event: the suite run ended (completed, interrupted or stopped early)."""

    suite_run_id: str
    result: SuiteRunResult


RunnerEvent = SuiteStarted | RunStarted | RunFinished | TestFinished | SuiteFinished
