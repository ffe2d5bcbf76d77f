"""Observability: structured logs, correlation IDs, redaction, tracing and metrics.

Logging, IDs and redaction are always available. Tracing (OpenTelemetry) and metrics
(prometheus-client) come with the ``observability`` extra and are imported only when one
of their names is first used, so a process that leaves them off never loads them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from atp_core.observability._context import (
    RUN_ID_HEADER,
    SpanIds,
    bind_ids,
    current_run_span,
    outbound_span,
    run_span_ids,
    suite_span_ids,
    trace_env,
    traceparent_headers,
)
from atp_core.observability._instrument import instrument
from atp_core.observability._log_sink import LogSink
from atp_core.observability._logging import RedactProcessor, configure_logging
from atp_core.observability._redact import MASK, Redactor, is_secret_key, redact_record
from atp_core.observability._setup import setup_tracing

if TYPE_CHECKING:
    from atp_core.observability._metrics import (
        CONTENT_TYPE,
        AtpMetrics,
        MetricsServer,
        render_latest,
        serve_metrics,
        write_textfile,
    )
    from atp_core.observability._metrics_sink import MetricsSink
    from atp_core.observability._otel import PlannedIdGenerator
    from atp_core.observability._tracing import TracingSink

_LAZY = {
    "CONTENT_TYPE": "_metrics",
    "AtpMetrics": "_metrics",
    "MetricsServer": "_metrics",
    "render_latest": "_metrics",
    "serve_metrics": "_metrics",
    "write_textfile": "_metrics",
    "MetricsSink": "_metrics_sink",
    "PlannedIdGenerator": "_otel",
    "TracingSink": "_tracing",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "CONTENT_TYPE",
    "MASK",
    "RUN_ID_HEADER",
    "AtpMetrics",
    "LogSink",
    "MetricsServer",
    "MetricsSink",
    "PlannedIdGenerator",
    "RedactProcessor",
    "Redactor",
    "SpanIds",
    "TracingSink",
    "bind_ids",
    "configure_logging",
    "current_run_span",
    "instrument",
    "is_secret_key",
    "outbound_span",
    "redact_record",
    "render_latest",
    "run_span_ids",
    "serve_metrics",
    "setup_tracing",
    "suite_span_ids",
    "trace_env",
    "traceparent_headers",
    "write_textfile",
]
