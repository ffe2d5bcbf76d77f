"""The span export process: rows in on standard input, OTLP spans out over HTTP.

Started by ``SpanExportProcess`` as ``python -m atp_core.observability._export_child``.
It reads a configuration, answers ``ready``, then reads messages from ``TracingSink``
until its input closes: ``start``/``set``/``end`` of a suite run, ``test`` (the rows of
a finished test) and ``flush`` (export everything, then answer ``flushed N``); at the end
of its input it exports what is left, answers ``done`` and exits. Spans are
planned by ``Planner``, built as SDK ``ReadableSpan`` objects with the planned IDs, and
exported by the SDK's ``BatchSpanProcessor`` and ``OTLPSpanExporter``. Problems go to
standard error, which the parent reads when the child ends.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import random
import sys
from typing import IO, Any

import attrs
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import SpanContext, SpanKind, Status, StatusCode, TraceFlags

from atp_core.observability._context import suite_span_ids
from atp_core.observability._spans import Planner, SpanPlan

BATCH = 512  # spans per export request, as the SDK's BatchSpanProcessor
QUEUE = 1 << 20
_SAMPLED = TraceFlags(TraceFlags.SAMPLED)
_UNSET = Status(StatusCode.UNSET)


class _Resource(Resource):
    """A resource whose hash is computed once: the OTLP encoder hashes it for every span."""

    def __init__(self, resource: Resource) -> None:
        super().__init__(resource.attributes, resource.schema_url)
        self._hash = super().__hash__()

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other)


@attrs.define
class _Suite:
    values: dict[str, Any]
    start: int
    planner: Planner


class Builder:
    """Keeps the open suite runs and the spans waiting for export."""

    def __init__(self, exporter: SpanExporter, resource: Resource, scope: InstrumentationScope):
        self.resource, self.scope = _Resource(resource), scope
        # Its worker thread encodes and sends while the main thread builds the next spans.
        # The queue is large enough never to drop the spans of a suite run.
        self.processor = BatchSpanProcessor(
            exporter,
            max_queue_size=QUEUE,
            max_export_batch_size=BATCH,
            schedule_delay_millis=200,
        )
        self.suites: dict[str, _Suite] = {}

    def handle(self, message: tuple[Any, ...]) -> None:
        """Apply one message from ``TracingSink``."""
        kind, suite_run_id = message[0], message[1]
        if kind == "start":
            _, _, values, start, redactor = message
            self.suites[suite_run_id] = _Suite(dict(values), start, Planner(redactor))
        elif kind == "set":
            self.suites[suite_run_id].values.update(message[2])
        elif kind == "test":
            plan = self.suites[suite_run_id].planner.test(suite_run_id, message[2], message[3])
            ids = suite_span_ids(suite_run_id)
            self.add(suite_run_id, plan, SpanContext(ids.trace_id, ids.span_id, False, _SAMPLED))
        elif kind == "end":
            _, _, end, error = message
            suite = self.suites.pop(suite_run_id)
            plan = suite.planner.suite(suite_run_id, suite.values, suite.start, end)
            if error is not None:
                plan.error = error
            self.add(suite_run_id, plan, None)

    def add(self, suite_run_id: str, plan: SpanPlan, parent: SpanContext | None) -> None:
        """Build ``plan`` and its children as readable spans in the suite run's trace."""
        self._build(plan, suite_span_ids(suite_run_id).trace_id, parent)

    def _build(self, plan: SpanPlan, trace_id: int, parent: SpanContext | None) -> None:
        span_id = plan.ids.span_id if plan.ids else random.getrandbits(64) or 1
        context = SpanContext(trace_id, span_id, is_remote=False, trace_flags=_SAMPLED)
        self.processor.on_end(
            ReadableSpan(
                name=plan.name,
                context=context,
                parent=parent,
                resource=self.resource,
                attributes=plan.attributes,
                kind=SpanKind.CLIENT if plan.client else SpanKind.INTERNAL,
                status=_UNSET if plan.error is None else Status(StatusCode.ERROR, plan.error),
                start_time=plan.start,
                end_time=plan.end,
                instrumentation_scope=self.scope,
            )
        )
        for child in plan.children:
            self._build(child, trace_id, context)

    def flush(self) -> None:
        """Export every span built so far."""
        self.processor.force_flush()


def _read(stream: IO[bytes]) -> Any:
    header = stream.read(4)
    if len(header) < 4:
        return None
    # Only the parent that started this process writes to its standard input.
    return pickle.loads(stream.read(int.from_bytes(header, "big")))  # noqa: S301


def main() -> int:
    """Serve one parent until its pipe closes."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    answer = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # stray prints must not mix into the answers
    source = sys.stdin.buffer
    config = _read(source)
    builder = Builder(*_exporter(config))
    # Spans make many short-lived objects and no cycles: collect rarely, and never scan
    # the modules loaded so far.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    answer.write(b"ready\n")
    while (message := _read(source)) is not None:
        if message[0] == "flush":
            builder.flush()
            answer.write(b"flushed %d\n" % message[1])
        else:
            builder.handle(message)
    builder.processor.shutdown()  # type: ignore[no-untyped-call]  # exports what is left
    answer.write(b"done\n")
    return 0


def _exporter(config: dict[str, Any]) -> tuple[SpanExporter, Resource, InstrumentationScope]:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter = OTLPSpanExporter(endpoint=config.get("endpoint") or None)
    resource = Resource.create(config["resource"])
    scope = InstrumentationScope(config["scope"], config["version"])
    return exporter, resource, scope


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    # Everything is exported and said: skip the interpreter's teardown, which the parent,
    # waiting for this process to end, would otherwise pay for.
    os._exit(code)
