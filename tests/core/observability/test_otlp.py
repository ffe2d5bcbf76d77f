"""ATP's own OTLP span encoding equals the SDK's; the sender batches, flushes and reports."""

from __future__ import annotations

import threading
import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import SpanContext, SpanKind, Status, StatusCode, TraceFlags

from atp_core.observability._context import SpanIds
from atp_core.observability._otlp import SpanEncoder, request, resource_spans_head
from atp_core.observability._otlp_send import BATCH, DELAY, Sender, encoded_export
from atp_core.observability._spans import SpanPlan

from .conftest import OtlpReceiver

TRACE = 0x0AF7651916CD43DD8448EB211C80319C
RESOURCE = {"service.name": "atp", "service.version": "1.2.3", "host.cpus": 2}
SCOPE = ("atp_core", "0.1.0")

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20)
values = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.booleans(),
    st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    st.floats(allow_nan=False),
)
attributes = st.dictionaries(keys, values, max_size=8)
times = st.integers(min_value=0, max_value=(1 << 64) - 1)
span_ids = st.integers(min_value=1, max_value=(1 << 64) - 1)


@st.composite
def plans(draw: Any, depth: int = 2) -> SpanPlan:
    children = draw(st.lists(plans(depth - 1), max_size=3)) if depth else []
    return SpanPlan(
        name=draw(keys),
        start=draw(times),
        end=draw(times),
        attributes=draw(attributes),
        client=draw(st.booleans()),
        error=draw(st.none() | st.text(max_size=30)),
        ids=SpanIds(trace_id=TRACE, span_id=draw(span_ids)),
        children=children,
    )


def _sdk_spans(plan: SpanPlan, parent: SpanContext | None, out: list[ReadableSpan]) -> None:
    assert plan.ids is not None
    context = SpanContext(TRACE, plan.ids.span_id, False, TraceFlags(TraceFlags.SAMPLED))
    status = (
        Status(StatusCode.UNSET) if plan.error is None else Status(StatusCode.ERROR, plan.error)
    )
    out.append(
        ReadableSpan(
            name=plan.name,
            context=context,
            parent=parent,
            resource=Resource(RESOURCE),
            attributes=plan.attributes,
            kind=SpanKind.CLIENT if plan.client else SpanKind.INTERNAL,
            status=status,
            start_time=plan.start,
            end_time=plan.end,
            instrumentation_scope=InstrumentationScope(*SCOPE),
        )
    )
    for child in plan.children:
        _sdk_spans(child, context, out)


def _normal(message: ExportTraceServiceRequest) -> ExportTraceServiceRequest:
    # The SDK always writes a status, even an empty one; an absent one means the same.
    for resource_spans in message.resource_spans:
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                if span.status.code == 0 and not span.status.message:
                    span.ClearField("status")
    return message


def _parse(data: bytes) -> ExportTraceServiceRequest:
    message = ExportTraceServiceRequest()
    message.ParseFromString(data)
    return message


@settings(max_examples=150, deadline=None)
@given(plans())
def test_encoding_equals_the_sdk_encoder(plan: SpanPlan) -> None:
    encoder = SpanEncoder()
    head = resource_spans_head(RESOURCE, *SCOPE)
    ours = _parse(request(head, encoder.spans(plan, TRACE, None, iter(()))))
    sdk: list[ReadableSpan] = []
    _sdk_spans(plan, None, sdk)
    theirs = _parse(encode_spans(sdk).SerializeToString())
    assert _normal(ours) == _normal(theirs)


def test_cached_attributes_keep_their_types_and_unplanned_spans_get_fresh_ids() -> None:
    """1, 1.0 and True are equal as dict keys but must not share an encoding."""
    encoder = SpanEncoder()
    head = resource_spans_head({}, *SCOPE)
    spans: list[bytes] = []
    for value in (1, 1.0, True, 1):
        plan = SpanPlan(name="s", start=1, end=2, attributes={"v": value})
        spans += encoder.spans(plan, TRACE, 7, iter((len(spans) + 100,)))
    decoded = _parse(request(head, spans)).resource_spans[0].scope_spans[0].spans
    got = [span.attributes[0].value.WhichOneof("value") for span in decoded]
    assert got == ["int_value", "double_value", "bool_value", "int_value"]
    assert [span.span_id.hex() for span in decoded] == [f"{i:016x}" for i in (100, 101, 102, 103)]
    assert {span.parent_span_id.hex() for span in decoded} == {f"{7:016x}"}


class _Recorder:
    def __init__(self, ok: bool = True) -> None:
        self.calls: list[int] = []
        self.ok = ok
        self.lock = threading.Lock()

    def __call__(self, data: bytes, count: int) -> bool:
        spans = _parse(data).resource_spans[0].scope_spans[0].spans
        assert len(spans) == count
        with self.lock:
            self.calls.append(count)
        return self.ok


def _span(i: int) -> bytes:
    plan = SpanPlan(name=f"s{i}", start=i, end=i + 1, attributes={"i": i})
    return SpanEncoder().spans(plan, TRACE, None, iter((i + 1,)))[0]


def test_sender_exports_in_batches_of_512_and_flush_waits_for_all() -> None:
    recorder = _Recorder()
    sender = Sender(recorder, resource_spans_head(RESOURCE, *SCOPE))
    sender.add([_span(i) for i in range(BATCH * 2 + 10)])
    sender.flush()
    assert sum(recorder.calls) == BATCH * 2 + 10
    assert max(recorder.calls) == BATCH
    sender.shutdown()
    assert sender.failed == 0


def test_sender_exports_a_trickle_without_being_asked() -> None:
    recorder = _Recorder()
    sender = Sender(recorder, resource_spans_head(RESOURCE, *SCOPE))
    sender.add([_span(1)])
    deadline = time.monotonic() + 10 * DELAY + 5
    while not recorder.calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert recorder.calls == [1]
    sender.shutdown()


def test_sender_counts_failed_exports_and_survives_a_raising_exporter() -> None:
    refused = _Recorder(ok=False)
    sender = Sender(refused, resource_spans_head(RESOURCE, *SCOPE))
    sender.add([_span(1)])
    sender.shutdown()
    assert sender.failed == 1

    def broken(data: bytes, count: int) -> bool:
        raise RuntimeError("exporter bug")

    sender = Sender(broken, resource_spans_head(RESOURCE, *SCOPE))
    sender.add([_span(2)])
    sender.flush()  # returns: the worker survived
    sender.shutdown()
    assert sender.failed == 1


def test_encoded_batches_go_through_the_sdk_exporter_to_a_real_receiver(
    otlp: OtlpReceiver,
) -> None:
    exporter = OTLPSpanExporter(endpoint=f"{otlp.endpoint}/v1/traces")
    export = encoded_export(exporter)
    head = resource_spans_head(RESOURCE, *SCOPE)
    assert export(request(head, [_span(1), _span(2)]), 2)
    assert sorted(span.name for span in otlp.spans) == ["s1", "s2"]
    # ReadableSpans still take the SDK's own path through the same exporter.
    sdk: list[ReadableSpan] = []
    _sdk_spans(
        SpanPlan(name="sdk", start=1, end=2, attributes={}, ids=SpanIds(trace_id=TRACE, span_id=9)),
        None,
        sdk,
    )
    assert exporter.export(sdk).name == "SUCCESS"
    assert "sdk" in {span.name for span in otlp.spans}
    exporter.shutdown()


def test_sender_push_exports_at_once_and_shutdown_reports_before_closing() -> None:
    """``push`` exports without waiting for a full batch or the tick; ``shutdown`` calls
    back once everything is exported, before the exporter is closed."""
    recorder = _Recorder()
    order: list[str] = []
    sender = Sender(recorder, resource_spans_head(RESOURCE, *SCOPE), lambda: order.append("closed"))
    sender.add([_span(1), _span(2)])
    sender.push()
    deadline = time.monotonic() + DELAY / 2
    while not recorder.calls and time.monotonic() < deadline:
        time.sleep(0.001)
    assert recorder.calls == [2]  # well before the 200 ms tick
    sender.add([_span(3)])
    sender.shutdown(lambda: order.append(f"exported {sum(recorder.calls)}"))
    assert order == ["exported 3", "closed"]
