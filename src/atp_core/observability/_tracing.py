"""``TracingSink``: a run sink that records a suite run as one OpenTelemetry trace.

Span tree: ``suite_run`` → ``test`` → ``run`` → ``agent_call``, one ``check`` per check,
and one GenAI span per ``llm_request`` event. Spans carry the times the runner measured
(explicit start and end), so they are built when the data is complete: a test's spans
when the test finishes, the suite span when the suite run finishes.
"""

from __future__ import annotations

import time

import attrs
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer, TracerProvider

import atp_core
from atp_core.observability._context import run_span_ids, suite_span_ids
from atp_core.observability._otel import planned_ids
from atp_core.observability._redact import Redactor
from atp_core.observability._spans import (
    AttributeMaker,
    Window,
    check_windows,
    llm_window,
    run_window,
    test_window,
    to_ns,
)
from atp_core.protocol import (
    RunnerEvent,
    RunRecord,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
    TestFinished,
    TestResult,
)


@attrs.define
class _OpenSuite:
    span: Span
    done: set[str] = attrs.Factory(set)


class TracingSink:
    """Turns runner events into spans.

    Args:
        tracer_provider: Where spans go; the global provider when ``None``. With a provider
            from ``setup_tracing``, run spans carry the IDs sent to agents in ``traceparent``.
        redactor: Masks secrets in span names and attributes; credential patterns only
            by default.
    """

    def __init__(
        self, tracer_provider: TracerProvider | None = None, *, redactor: Redactor | None = None
    ) -> None:
        provider = tracer_provider or trace.get_tracer_provider()
        self._tracer: Tracer = provider.get_tracer("atp_core", atp_core.__version__)
        self._redactor = redactor or Redactor()
        self._attrs = AttributeMaker(self._redactor)
        self._suites: dict[str, _OpenSuite] = {}

    async def handle(self, event: RunnerEvent) -> None:
        """Open the suite span, record finished tests, close the suite span."""
        if isinstance(event, SuiteStarted):
            self._start_suite(event.suite_run_id, event.suite, event.agent, event.started_at)
            self._suites[event.suite_run_id].span.set_attribute("atp.runs.total", event.total_runs)
        elif isinstance(event, TestFinished):
            self._record_test(event.suite_run_id, event.result)
        elif isinstance(event, SuiteFinished):
            self._finish_suite(event.result)

    def _start_suite(self, suite_run_id: str, suite: str, agent: str, started_at: str) -> None:
        attributes = self._attrs(
            {"atp.suite_run.id": suite_run_id, "atp.suite.name": suite, "atp.agent.name": agent}
        )
        with planned_ids(suite_span_ids(suite_run_id)):
            span = self._tracer.start_span(
                "suite_run",
                context=trace.set_span_in_context(trace.INVALID_SPAN),
                attributes=attributes,
                start_time=to_ns(started_at) or time.time_ns(),
            )
        self._suites[suite_run_id] = _OpenSuite(span=span)

    def _record_test(self, suite_run_id: str, result: TestResult) -> None:
        suite = self._suites.get(suite_run_id)
        if suite is None or result.test_id in suite.done:
            return
        suite.done.add(result.test_id)
        window = test_window(result, time.time_ns())
        span = self._tracer.start_span(
            "test",
            context=trace.set_span_in_context(suite.span),
            attributes=self._attrs(
                {
                    "atp.test.id": result.test_id,
                    "atp.test.name": result.name,
                    "atp.test.verdict": result.verdict,
                    "atp.test.reason": result.reason,
                    "atp.test.runs": result.stats.n,
                    "atp.test.passed": result.stats.passed,
                    "atp.test.pass_rate": result.stats.pass_rate,
                }
            ),
            start_time=window.start,
        )
        if result.verdict == "error":
            span.set_status(Status(StatusCode.ERROR, self._redactor.text(result.reason)))
        end = window.end
        for record in result.runs:
            end = max(end, self._record_run(suite_run_id, span, record))
        span.end(end_time=end)

    def _record_run(self, suite_run_id: str, parent: Span, record: RunRecord) -> int:
        window = run_window(record, time.time_ns())
        with planned_ids(run_span_ids(suite_run_id, record.test_id, record.run_number)):
            span = self._tracer.start_span(
                "run",
                context=trace.set_span_in_context(parent),
                attributes=self._attrs.run(suite_run_id, record),
                start_time=window.start,
            )
        inside = trace.set_span_in_context(span)
        call = self._tracer.start_span(
            "agent_call",
            context=inside,
            kind=SpanKind.CLIENT,
            attributes=self._attrs.adapter(record),
            start_time=window.start,
        )
        if record.error_kind is not None:
            self._error(call, record.error or record.error_kind)
        call.end(end_time=window.end)
        end = window.end
        for check, at in check_windows(record.checks, window.end):
            child = self._tracer.start_span(
                f"check {self._redactor.text(check.name)}",
                context=inside,
                attributes=self._attrs.check(check),
                start_time=at.start,
            )
            if check.status == "error":
                self._error(child, check.message)
            child.end(end_time=at.end)
            end = max(end, at.end)
        end = max(end, self._record_llm_calls(inside, record, window))
        if record.verdict == "error":
            self._error(span, record.error or "the run ended in error")
        span.end(end_time=end)
        return end

    def _record_llm_calls(self, inside: Context, record: RunRecord, window: Window) -> int:
        end = 0
        for event in record.events:
            if event.event_type != "llm_request":
                continue
            at = llm_window(event, window)
            attributes = self._attrs.llm(event)
            model = attributes.get("gen_ai.request.model", "")
            span = self._tracer.start_span(
                f"chat {model}".strip(),
                context=inside,
                kind=SpanKind.CLIENT,
                attributes=attributes,
                start_time=at.start,
            )
            span.end(end_time=at.end)
            end = max(end, at.end)
        return end

    def _error(self, span: Span, message: str) -> None:
        span.set_status(Status(StatusCode.ERROR, self._redactor.text(message[:1_000])))

    def _finish_suite(self, result: SuiteRunResult) -> None:
        if result.id not in self._suites:
            self._start_suite(result.id, result.suite, result.agent, result.started_at)
        for test in result.tests:
            self._record_test(result.id, test)
        suite = self._suites.pop(result.id)
        counts = result.counts
        suite.span.set_attributes(
            self._attrs(
                {
                    "atp.suite_run.status": result.status,
                    "atp.tests.passed": counts["passed"],
                    "atp.tests.failed": counts["failed"],
                    "atp.tests.error": counts["error"],
                }
            )
        )
        if result.status == "interrupted":
            suite.span.set_status(Status(StatusCode.ERROR, "the suite run was interrupted"))
        suite.span.end(end_time=to_ns(result.finished_at) or time.time_ns())
