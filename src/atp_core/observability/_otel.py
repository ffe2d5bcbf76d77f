"""``setup_tracing``: an OpenTelemetry tracer provider chosen by the standard ``OTEL_*`` variables.

Imported only when tracing is wanted; nothing here runs while tracing is off. With the
OTLP exporter the provider also owns a span export process (``_export_process``) that
``TracingSink`` hands its spans to; spans started through the provider's own tracers go
through a ``BatchSpanProcessor`` in this process, as usual.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator

import atp_core
from atp_core.observability._context import SpanIds
from atp_core.observability._export_process import SpanExportProcess

_planned: ContextVar[SpanIds | None] = ContextVar("atp_planned_span", default=None)


class PlannedIdGenerator(RandomIdGenerator):
    """Random IDs, except inside ``planned_ids``: then the planned ones.

    This lets the span recorded for a run carry the IDs the agent was told in its
    ``traceparent``, so the agent's own spans nest under ATP's run span.
    """

    def generate_trace_id(self) -> int:
        """The planned trace ID, else a random one."""
        planned = _planned.get()
        return planned.trace_id if planned else super().generate_trace_id()

    def generate_span_id(self) -> int:
        """The planned span ID, else a random one."""
        planned = _planned.get()
        return planned.span_id if planned else super().generate_span_id()


@contextlib.contextmanager
def planned_ids(ids: SpanIds | None) -> Iterator[None]:
    """Spans started inside the block by a ``PlannedIdGenerator`` provider get ``ids``."""
    token = _planned.set(ids)
    try:
        yield
    finally:
        _planned.reset(token)


class AtpTracerProvider(TracerProvider):
    """A tracer provider that may own a span export process (``export_process``).

    ``force_flush`` and ``shutdown`` cover the process too: after ``shutdown`` every span
    has been exported (or a warning says why not) and the process has exited.
    """

    export_process: SpanExportProcess | None = None

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        """Export every span recorded so far."""
        done = super().force_flush(timeout_millis)
        if self.export_process is not None:
            done = self.export_process.force_flush(timeout_millis / 1000) and done
        return done

    def shutdown(self) -> None:
        """Flush, stop the export process and the span processors."""
        if self.export_process is not None:
            self.export_process.shutdown()
        super().shutdown()


def _endpoint(env: Mapping[str, str]) -> str | None:
    endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if not endpoint and env.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        endpoint = env["OTEL_EXPORTER_OTLP_ENDPOINT"].rstrip("/") + "/v1/traces"
    return endpoint or None


def _exporter(name: str, env: Mapping[str, str]) -> SpanExporter:
    if name == "console":
        # Standard error: standard output may carry a report.
        return ConsoleSpanExporter(out=sys.stderr)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(endpoint=_endpoint(env))


def _start_process(resource: Resource, env: Mapping[str, str]) -> SpanExportProcess | None:
    # The child reads the other OTEL_* settings (headers, timeout, compression) itself.
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    child_env.update({k: v for k, v in env.items() if k.startswith("OTEL_")})
    config = {
        "endpoint": _endpoint(env),
        "resource": dict(resource.attributes),
        "scope": "atp_core",
        "version": atp_core.__version__,
    }
    return SpanExportProcess.start(config, child_env)


def start_tracing(name: str, env: Mapping[str, str]) -> TracerProvider:
    """The tracer provider for exporter ``name`` (``otlp`` or ``console``); see
    ``atp_core.observability.setup_tracing``, which decides whether tracing is on."""
    resource = Resource.create(
        {
            SERVICE_NAME: env.get("OTEL_SERVICE_NAME") or "atp",
            "service.version": atp_core.__version__,
        }
    )
    provider = AtpTracerProvider(resource=resource, id_generator=PlannedIdGenerator())
    exporter = _exporter(name, env)
    processor = SimpleSpanProcessor(exporter) if name == "console" else BatchSpanProcessor(exporter)
    provider.add_span_processor(processor)
    if name == "otlp":
        provider.export_process = _start_process(resource, env)
    return provider
