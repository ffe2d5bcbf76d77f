"""``MetricsSink``: a run sink that keeps ``AtpMetrics`` up to date from runner events."""

from __future__ import annotations

from typing import Any

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
_TOKEN_KEYS = (("input", "input_tokens"), ("output", "output_tokens"))


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
        # Series by label values: ``labels()`` validates and locks on every call (a few µs),
        # a dict lookup does not. Series are never removed from these metrics.
        self._series: dict[tuple[object, ...], Any] = {}

    def _one(self, metric: Any, *labels: str) -> Any:
        key = (metric, *labels)
        found = self._series.get(key)
        if found is None:
            found = self._series[key] = metric.labels(*labels)
        return found

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
        found = self._suites.get(suite_run_id)
        if found is None:
            found = self._suites[suite_run_id] = _Suite(name="")
        return found

    def _run_finished(self, suite_run_id: str, record: RunRecord) -> None:
        suite = self._suite(suite_run_id)
        if suite.in_flight > 0:
            suite.in_flight -= 1
            self.metrics.runs_in_flight.dec()
        m, one = self.metrics, self._one
        one(m.test_duration, suite.name, record.test_id).observe(record.duration_seconds)
        for check in record.checks:
            duration = amount(check.details.get("duration_ms"))
            if duration is not None and check.details.get("kind") == "assertion":
                one(m.evaluator_duration, check.name).observe(duration / 1000)
        # Summed per series first: one increment per series and run, not per event.
        calls: dict[tuple[str, str], int] = {}
        tokens: dict[tuple[str, str], float] = {}
        for event in record.events:
            if event.event_type == "llm_request":
                payload = event.payload
                provider = _label(payload.get("provider"))
                call = (provider, _label(payload.get("model")))
                calls[call] = calls.get(call, 0) + 1
                for kind, key in _TOKEN_KEYS:
                    count = amount(payload.get(key))
                    if count is not None:
                        tokens[provider, kind] = tokens.get((provider, kind), 0.0) + count
        for labels, n in calls.items():
            one(m.llm_calls, *labels).inc(n)
        for labels, total in tokens.items():
            one(m.llm_tokens, *labels).inc(total)
        if record.error_kind is not None and record.error_kind not in NOT_ADAPTER_ERRORS:
            adapter = record.adapter.type if record.adapter else record.agent
            one(m.adapter_errors, adapter, record.error_kind).inc()

    def _test_finished(self, suite_run_id: str, result: TestResult) -> None:
        suite = self._suite(suite_run_id)
        if result.test_id not in suite.counted:
            suite.counted.add(result.test_id)
            self._one(self.metrics.tests_total, suite.name, result.verdict).inc()

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
