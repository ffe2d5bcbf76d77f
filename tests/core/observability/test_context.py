"""Correlation IDs sent to agents: W3C traceparent, X-ATP-Run-Id, environment variables."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import use_span

from atp_core.observability import (
    RUN_ID_HEADER,
    current_run_span,
    run_span_ids,
    suite_span_ids,
    trace_env,
    traceparent_headers,
)

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-01$")


def _parts(value: str) -> tuple[str, str]:
    match = TRACEPARENT.match(value)
    assert match is not None, value
    trace_id, span_id = match.groups()
    assert int(trace_id, 16)
    assert int(span_id, 16)
    return trace_id, span_id


def test_headers_outside_any_run_are_fresh_and_valid() -> None:
    """Without a run or span, each call gives a new valid traceparent and the run id header."""
    first = traceparent_headers("run-1")
    second = traceparent_headers("run-1")
    assert first[RUN_ID_HEADER] == "run-1"
    assert _parts(first["traceparent"]) != _parts(second["traceparent"])


def test_inside_a_run_the_headers_name_the_run_span() -> None:
    """Within current_run_span the traceparent carries that run's trace and span IDs."""
    ids = run_span_ids("suite-1", "t1", 2)
    with current_run_span(ids):
        headers = traceparent_headers("task-1")
        env = trace_env("task-1")
    assert _parts(headers["traceparent"]) == (f"{ids.trace_id:032x}", f"{ids.span_id:016x}")
    assert env == {"TRACEPARENT": headers["traceparent"], "ATP_RUN_ID": "task-1"}
    assert _parts(traceparent_headers("x")["traceparent"]) != _parts(headers["traceparent"])


def test_active_otel_span_is_used_when_tracing_is_on() -> None:
    """With an OpenTelemetry span active, the traceparent names it."""
    span = TracerProvider().get_tracer("t").start_span("outer")
    with use_span(span, end_on_exit=True):
        trace_id, span_id = _parts(traceparent_headers("r")["traceparent"])
    context = span.get_span_context()
    assert (trace_id, span_id) == (f"{context.trace_id:032x}", f"{context.span_id:016x}")


def test_explicit_trace_id_is_kept_and_bad_ones_refused() -> None:
    """A given trace id is used as is; one that is not 32 hex digits is a ValueError."""
    trace_id, _ = _parts(traceparent_headers("r", trace_id="ab" * 16)["traceparent"])
    assert trace_id == "ab" * 16
    with pytest.raises(ValueError, match="32 hex"):
        traceparent_headers("r", trace_id="0" * 32)


def test_run_ids_are_stable_per_suite_run_and_distinct_per_run() -> None:
    """IDs derive from (suite run, test, run number): same inputs agree, others differ."""
    assert run_span_ids("s", "t", 1) == run_span_ids("s", "t", 1)
    assert run_span_ids("s", "t", 1).span_id != run_span_ids("s", "t", 2).span_id
    assert run_span_ids("s", "t", 1).trace_id == suite_span_ids("s").trace_id
    assert suite_span_ids("s").trace_id != suite_span_ids("s2").trace_id


def test_importing_observability_and_logging_loads_no_tracing_or_metrics_library() -> None:
    """Logging, IDs, redaction and setting up tracing when it is off (as every ``atp run``
    does) work without importing opentelemetry or prometheus_client."""
    code = (
        "import sys, io\n"
        "from atp_core.observability import configure_logging, traceparent_headers, Redactor\n"
        "from atp_core.observability import setup_tracing\n"
        "configure_logging(fmt='json', stream=io.StringIO())\n"
        "traceparent_headers('r'); Redactor(['x']).text('x')\n"
        "assert setup_tracing({}) is None\n"
        "off = {'OTEL_TRACES_EXPORTER': 'otlp', 'OTEL_SDK_DISABLED': 'true'}\n"
        "assert setup_tracing(off) is None\n"
        "bad = [m for m in sys.modules if m.startswith(('opentelemetry', 'prometheus_client'))]\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
