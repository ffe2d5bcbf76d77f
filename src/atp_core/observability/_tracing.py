"""``TracingSink``: a run sink that records a suite run as one OpenTelemetry trace.

Span tree: ``suite_run`` → ``test`` → ``run`` → ``agent_call``, one ``check`` per check,
and one GenAI span per ``llm_request`` event. Spans carry the times the runner measured
(explicit start and end), so they are recorded when the data is complete: a test's spans
when the test finishes, the suite span when the suite run finishes.

With a provider from ``setup_tracing`` that exports over OTLP, the sink only turns each
finished test into rows (``_rows``) and hands them to the provider's span export process,
which plans, encodes and exports the spans; the suite run pays a few microseconds per run.
Tests that finish in quick succession are sent together, each within 50 ms.
With any other provider (the console exporter, a test's in-memory exporter), the same
span plans are started and ended through the provider's tracer in this process.
"""

from __future__ import annotations

import asyncio
import time

import attrs
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer, TracerProvider

import atp_core
from atp_core.observability._export_process import SpanExportProcess
from atp_core.observability._otel import planned_ids
from atp_core.observability._redact import Redactor
from atp_core.observability._rows import test_row
from atp_core.observability._spans import Planner, SpanPlan, to_ns
from atp_core.protocol import (
    RunnerEvent,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
    TestFinished,
    TestResult,
)

# Finished tests go to the export process in groups of up to 32 (one frame, one write),
# each sent at most this long after its test finished.
HOLD_SECONDS = 0.05


@attrs.define
class _OpenSuite:
    span: Span | None
    done: set[str] = attrs.Factory(set)


class TracingSink:
    """Turns runner events into spans.

    Args:
        tracer_provider: Where spans go; the global provider when ``None``. With a provider
            from ``setup_tracing``, run spans carry the IDs sent to agents in ``traceparent``.
        redactor: Masks secrets in span names and attributes; credential patterns only
            by default.
    """

    # Per-run events carry nothing a span needs: the runner does not deliver them here.
    handles = (SuiteStarted, TestFinished, SuiteFinished)

    def __init__(
        self, tracer_provider: TracerProvider | None = None, *, redactor: Redactor | None = None
    ) -> None:
        provider = tracer_provider or trace.get_tracer_provider()
        self._tracer: Tracer = provider.get_tracer("atp_core", atp_core.__version__)
        self._process: SpanExportProcess | None = getattr(provider, "export_process", None)
        self._redactor = redactor or Redactor()
        self._planner = Planner(self._redactor)
        self._suites: dict[str, _OpenSuite] = {}

    async def handle(self, event: RunnerEvent) -> None:
        """Open the suite span, record finished tests, close the suite span."""
        self.handle_now(event)

    def handle_now(self, event: RunnerEvent) -> None:
        """``handle``, which never waits, as a plain call (the runner uses this one)."""
        # Per-test events first: nearly all of those this sink is given.
        if isinstance(event, TestFinished):
            self._record_test(event.suite_run_id, event.result)
        elif isinstance(event, SuiteStarted):
            self._start_suite(event.suite_run_id, event.suite, event.agent, event.started_at)
            self._set_suite(event.suite_run_id, {"atp.runs.total": event.total_runs})
        elif isinstance(event, SuiteFinished):
            self._finish_suite(event.result)

    def _start_suite(self, suite_run_id: str, suite: str, agent: str, started_at: str) -> None:
        values = {
            "atp.suite_run.id": suite_run_id,
            "atp.suite.name": suite,
            "atp.agent.name": agent,
        }
        start = to_ns(started_at) or time.time_ns()
        if self._process is not None:
            self._process.send(("start", suite_run_id, values, start, self._redactor))
            self._suites[suite_run_id] = _OpenSuite(span=None)
            return
        plan = self._planner.suite(suite_run_id, values, start, start)
        attributes = plan.attributes if isinstance(plan.attributes, dict) else None
        with planned_ids(plan.ids):
            span = self._tracer.start_span(
                plan.name,
                context=trace.set_span_in_context(trace.INVALID_SPAN),
                attributes=attributes,
                start_time=start,
            )
        self._suites[suite_run_id] = _OpenSuite(span=span)

    def _set_suite(self, suite_run_id: str, values: dict[str, object]) -> None:
        suite = self._suites[suite_run_id]
        if suite.span is None:
            self._process_send(("set", suite_run_id, values))
        else:
            suite.span.set_attributes(self._planner.attributes(values))

    def _process_send(self, message: tuple[object, ...]) -> None:
        if self._process is not None:
            self._process.send(message)

    def _record_test(self, suite_run_id: str, result: TestResult) -> None:
        suite = self._suites.get(suite_run_id)
        if suite is None or result.test_id in suite.done:
            return
        suite.done.add(result.test_id)
        row = test_row(result)
        if suite.span is None:
            process = self._process
            if process is not None and process.send(
                ("test", suite_run_id, row, time.time_ns()), hold=True
            ):
                _release_soon(process)
            return
        plan = self._planner.test(suite_run_id, row, time.time_ns())
        _record(self._tracer, plan, trace.set_span_in_context(suite.span))

    def _finish_suite(self, result: SuiteRunResult) -> None:
        if result.id not in self._suites:
            self._start_suite(result.id, result.suite, result.agent, result.started_at)
        if len(self._suites[result.id].done) < len(result.tests):  # tests not yet recorded
            for test in result.tests:
                self._record_test(result.id, test)
        counts = result.counts
        self._set_suite(
            result.id,
            {
                "atp.suite_run.status": result.status,
                "atp.tests.passed": counts["passed"],
                "atp.tests.failed": counts["failed"],
                "atp.tests.error": counts["error"],
            },
        )
        suite = self._suites.pop(result.id)
        error = "the suite run was interrupted" if result.status == "interrupted" else None
        end = to_ns(result.finished_at) or time.time_ns()
        if suite.span is None:
            self._process_send(("end", result.id, end, error))
            return
        if error is not None:
            suite.span.set_status(Status(StatusCode.ERROR, error))
        suite.span.end(end_time=end)


def _release_soon(process: SpanExportProcess) -> None:
    """Have the tests held back by ``process`` sent within ``HOLD_SECONDS``."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not on an asyncio loop: no timer, so no holding back
        process.release()
        return
    loop.call_later(HOLD_SECONDS, process.release)


def _record(tracer: Tracer, plan: SpanPlan, parent: Context) -> None:
    """Start and end the planned span and its children through ``tracer``."""
    # This sink's planner has no encoder: its plans carry attributes as a dict.
    attributes = plan.attributes if isinstance(plan.attributes, dict) else None
    with planned_ids(plan.ids):
        span = tracer.start_span(
            plan.name,
            context=parent,
            kind=SpanKind.CLIENT if plan.client else SpanKind.INTERNAL,
            attributes=attributes,
            start_time=plan.start,
        )
    if plan.error is not None:
        span.set_status(Status(StatusCode.ERROR, plan.error))
    inside = trace.set_span_in_context(span)
    for child in plan.children:
        _record(tracer, child, inside)
    span.end(end_time=plan.end)
