"""``MetricsSink``: a run sink that keeps ``AtpMetrics`` up to date from runner events."""

from __future__ import annotations

import attrs

from atp_core.observability._metrics import AtpMetrics
from atp_core.observability._spans import amount
from atp_core.protocol import (
    RunFinished,
    RunnerEvent,
    RunRecord,
    RunStarted,
    SuiteFinished,
    SuiteStarted,
    TestFinished,
    TestResult,
)

# Error kinds that are not the adapter's: the run failed before the agent was called.
NOT_ADAPTER_ERRORS = frozenset({"workspace"})


@attrs.define
class _Suite:
    name: str
    in_flight: int = 0
    counted: set[str] = attrs.Factory(set)


class MetricsSink:
    """Counts tests, runs, evaluator time, LLM calls, tokens and adapter errors.

    Evaluator durations come from ``CheckResult.details["duration_ms"]`` of assertion
    checks (``instrument`` adds it); checks without it are not observed.
    """

    def __init__(self, metrics: AtpMetrics) -> None:
        self.metrics = metrics
        self._suites: dict[str, _Suite] = {}

    async def handle(self, event: RunnerEvent) -> None:
        """Update the metrics for one runner event."""
        if isinstance(event, SuiteStarted):
            self._suites[event.suite_run_id] = _Suite(name=event.suite)
        elif isinstance(event, RunStarted):
            self._suite(event.suite_run_id).in_flight += 1
            self.metrics.runs_in_flight.inc()
        elif isinstance(event, RunFinished):
            self._run_finished(event.suite_run_id, event.record)
        elif isinstance(event, TestFinished):
            self._test_finished(event.suite_run_id, event.result)
        elif isinstance(event, SuiteFinished):
            self._suite_finished(event)

    def _suite(self, suite_run_id: str) -> _Suite:
        return self._suites.setdefault(suite_run_id, _Suite(name=""))

    def _run_finished(self, suite_run_id: str, record: RunRecord) -> None:
        suite = self._suite(suite_run_id)
        if suite.in_flight > 0:
            suite.in_flight -= 1
            self.metrics.runs_in_flight.dec()
        m = self.metrics
        m.test_duration.labels(suite.name, record.test_id).observe(record.duration_seconds)
        for check in record.checks:
            duration = amount(check.details.get("duration_ms"))
            if check.details.get("kind") == "assertion" and duration is not None:
                m.evaluator_duration.labels(check.name).observe(duration / 1000)
        for event in record.events:
            if event.event_type == "llm_request":
                provider = _label(event.payload.get("provider"))
                m.llm_calls.labels(provider, _label(event.payload.get("model"))).inc()
                for kind in ("input", "output"):
                    tokens = amount(event.payload.get(f"{kind}_tokens"))
                    if tokens is not None:
                        m.llm_tokens.labels(provider, kind).inc(tokens)
        if record.error_kind is not None and record.error_kind not in NOT_ADAPTER_ERRORS:
            adapter = record.adapter.type if record.adapter else record.agent
            m.adapter_errors.labels(adapter, record.error_kind).inc()

    def _test_finished(self, suite_run_id: str, result: TestResult) -> None:
        suite = self._suite(suite_run_id)
        if result.test_id not in suite.counted:
            suite.counted.add(result.test_id)
            self.metrics.tests_total.labels(suite.name, result.verdict).inc()

    def _suite_finished(self, event: SuiteFinished) -> None:
        suite = self._suite(event.suite_run_id)
        suite.name = suite.name or event.result.suite
        for test in event.result.tests:
            self._test_finished(event.suite_run_id, test)
        # Runs cancelled by an interruption never report RunFinished.
        self.metrics.runs_in_flight.dec(suite.in_flight)
        del self._suites[event.suite_run_id]


def _label(value: object) -> str:
    return value if isinstance(value, str) and value else "unknown"
