"""``MetricsSink``: a run sink that keeps ``AtpMetrics`` up to date from runner events.

Per run it costs a few µs: ``labels()`` of ATP's own series is a dict lookup and a new
series is a few floats (see ``_series``), where prometheus_client's metrics made each
new ``atp_test_duration_seconds`` series cost ~30 µs. Nothing is kept per test beyond the
series' floats and its name in a set: no object the garbage collector must scan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from atp_core.observability._metrics import AtpMetrics
from atp_core.observability._series import CounterSeries, HistogramSeries
from atp_core.observability._spans import amount
from atp_core.protocol import (
    Event,
    RunFinished,
    RunnerEvent,
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
    # atp_tests_total's series of this suite, by verdict (a handful).
    verdicts: dict[str, CounterSeries] = attrs.Factory(dict)


class MetricsSink:
    """Counts tests, runs, evaluator time, LLM calls, tokens and adapter errors.

    Evaluator durations come from ``CheckResult.details["duration_ms"]`` of assertion
    checks (``instrument`` adds it); checks without it are not observed.
    """

    def __init__(self, metrics: AtpMetrics) -> None:
        self.metrics = metrics
        self._suites: dict[str, _Suite] = {}
        self._evaluators: dict[str, HistogramSeries] = {}
        # By event type: one dict lookup per event instead of a chain of isinstance checks.
        self._handlers: dict[type, Callable[[Any], None]] = {
            RunStarted: self._run_started,
            RunFinished: self._run_finished,
            TestFinished: self._test_event,
            SuiteStarted: self._suite_started,
            SuiteFinished: self._suite_finished,
        }

    async def handle(self, event: RunnerEvent) -> None:
        """Update the metrics for one runner event."""
        self.handle_now(event)

    def handle_now(self, event: RunnerEvent) -> None:
        """``handle``, which never waits, as a plain call (the runner uses this one)."""
        handler = self._handlers.get(type(event))
        if handler is None:  # a subclass of an event type: find its base
            handler = next((h for t, h in self._handlers.items() if isinstance(event, t)), _ignore)
        handler(event)

    def _suite(self, suite_run_id: str) -> _Suite:
        found = self._suites.get(suite_run_id)
        if found is None:
            found = self._suites[suite_run_id] = _Suite(name="")
        return found

    def _suite_started(self, event: SuiteStarted) -> None:
        self._suites[event.suite_run_id] = _Suite(name=event.suite)

    # Per-run handlers: written out rather than split into helpers, as they run for every
    # run (each Python call costs about as much as the work of a line here).
    def _run_started(self, event: RunStarted) -> None:
        suite = self._suites.get(event.suite_run_id) or self._suite(event.suite_run_id)
        suite.in_flight += 1
        self.metrics.runs_in_flight.value += 1

    def _run_finished(self, event: RunFinished) -> None:
        record, m = event.record, self.metrics
        suite = self._suites.get(event.suite_run_id) or self._suite(event.suite_run_id)
        if suite.in_flight > 0:
            suite.in_flight -= 1
            m.runs_in_flight.value -= 1
        m.test_duration.observe_labelled((suite.name, record.test_id), record.duration_seconds)
        for check in record.checks:
            details = check.details
            raw = details.get("duration_ms")
            if raw is not None and details.get("kind") == "assertion":
                duration = raw if type(raw) is float and 0 <= raw < math.inf else amount(raw)
                if duration is not None:
                    series = self._evaluators.get(check.name) or self._evaluator(check.name)
                    series.observe(duration / 1000)
        if record.events:
            self._llm_usage(record.events)
        if record.error_kind is not None and record.error_kind not in NOT_ADAPTER_ERRORS:
            adapter = record.adapter.type if record.adapter else record.agent
            m.adapter_errors.labels(adapter, record.error_kind).inc()

    def _evaluator(self, name: str) -> HistogramSeries:
        found = self._evaluators.get(name)
        if found is None:
            found = self._evaluators[name] = self.metrics.evaluator_duration.labels(name)
        return found

    def _llm_usage(self, events: Iterable[Event]) -> None:
        # Summed per series first: one increment per series and run, not per event.
        calls: dict[tuple[str, str], int] = {}
        tokens: dict[tuple[str, str], float] = {}
        for event in events:
            if event.event_type == "llm_request":
                payload = event.payload
                provider = _label(payload.get("provider"))
                call = (provider, _label(payload.get("model")))
                calls[call] = calls.get(call, 0) + 1
                for kind, key in _TOKEN_KEYS:
                    count = amount(payload.get(key))
                    if count is not None:
                        tokens[provider, kind] = tokens.get((provider, kind), 0.0) + count
        m = self.metrics
        for labels, n in calls.items():
            m.llm_calls.labels(*labels).inc(n)
        for labels, total in tokens.items():
            m.llm_tokens.labels(*labels).inc(total)

    def _test_event(self, event: TestFinished) -> None:
        self._test_finished(event.suite_run_id, event.result)

    def _test_finished(self, suite_run_id: str, result: TestResult) -> None:
        suite = self._suites.get(suite_run_id) or self._suite(suite_run_id)
        if result.test_id not in suite.counted:
            suite.counted.add(result.test_id)
            series = suite.verdicts.get(result.verdict)
            if series is None:
                series = self.metrics.tests_total.labels(suite.name, result.verdict)
                suite.verdicts[result.verdict] = series
            series.inc()

    def _suite_finished(self, event: SuiteFinished) -> None:
        suite = self._suite(event.suite_run_id)
        if not suite.name:  # SuiteStarted was missed: the series get the name from here on
            suite.name = event.result.suite
            suite.verdicts.clear()
        if len(suite.counted) < len(event.result.tests):  # tests not yet counted
            for test in event.result.tests:
                self._test_finished(event.suite_run_id, test)
        # Runs cancelled by an interruption never report RunFinished.
        self.metrics.runs_in_flight.dec(suite.in_flight)
        del self._suites[event.suite_run_id]


def _ignore(_event: object) -> None:
    return None


def _label(value: object) -> str:
    return value if isinstance(value, str) and value else "unknown"
