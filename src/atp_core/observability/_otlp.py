"""OTLP protobuf encoding of planned spans, written straight from ``SpanPlan``s.

The span export process used to build SDK ``ReadableSpan`` objects and let the OTLP
exporter encode them: ~28 µs of CPU per span, more than a whole in-process run costs the
runner. Here each span is encoded once, when planned, as the bytes of an OTLP ``Span``
message; attributes whose key and value repeat (agent name, statuses, check names) are
encoded once per suite run and reused. ``request`` wraps a batch of encoded spans in an
``ExportTraceServiceRequest`` for one resource and instrumentation scope.

Field numbers are those of ``opentelemetry/proto/trace/v1/trace.proto`` and
``common/v1/common.proto``; the tests parse the output with the generated classes of
``opentelemetry-proto`` and compare it with the SDK's own encoder.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from atp_core.observability._spans import AttributeValue, SpanPlan

_CACHE_LIMIT = 50_000  # cached key-value encodings per encoder (a suite run)
_pack_fixed64 = struct.Struct("<Q").pack
_MAX_TIME = (1 << 64) - 1


def _fixed64(nanoseconds: int) -> bytes:
    try:
        return _pack_fixed64(nanoseconds)
    except struct.error:  # before 1970 or past 2554 (an agent's odd timestamps): clamped
        return _pack_fixed64(min(max(nanoseconds, 0), _MAX_TIME))

_double = struct.Struct("<d").pack
# Span.flags (fixed32, field 16): "has is_remote", not remote, as the SDK's encoder sets it.
_FLAGS = b"\x85\x01" + struct.pack("<I", 0x100)


def _varint(value: int) -> bytes:
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


_TAGS = {number: _varint(number << 3 | 2) for number in range(1, 16)}


def _field(number: int, data: bytes) -> bytes:
    """A length-delimited field (strings, bytes, sub-messages)."""
    size = len(data)
    return _TAGS[number] + (bytes((size,)) if size < 0x80 else _varint(size)) + data


def _any_value(value: AttributeValue) -> bytes:
    # AnyValue: 1 string_value, 2 bool_value, 3 int_value (int64), 4 double_value.
    if isinstance(value, str):
        return _field(1, value.encode("utf-8", "surrogatepass"))
    if isinstance(value, bool):
        return b"\x10\x01" if value else b"\x10\x00"
    if isinstance(value, int):
        if -(1 << 63) <= value < (1 << 63):
            return b"\x18" + _varint(value & 0xFFFF_FFFF_FFFF_FFFF)
        return _field(1, str(value).encode())  # beyond int64: kept as its decimal text
    return b"\x21" + _double(value)


def key_value(key: str, value: AttributeValue) -> bytes:
    """One ``KeyValue`` message (key 1, value 2)."""
    return _field(1, key.encode("utf-8", "surrogatepass")) + _field(2, _any_value(value))


def _attributes(
    values: Mapping[str, AttributeValue], number: int, cache: dict[object, bytes]
) -> bytes:
    parts = []
    for key, value in values.items():
        # Type in the key: True, 1 and 1.0 are equal in a dict but encode differently.
        cached = (key, type(value), value)
        data = cache.get(cached)
        if data is None:
            name = cache.get(key)
            if name is None:
                name = cache[key] = _field(1, key.encode("utf-8", "surrogatepass"))
            data = _field(number, name + _field(2, _any_value(value)))
            if len(cache) < _CACHE_LIMIT:
                cache[cached] = data
        parts.append(data)
    return b"".join(parts)


class SpanEncoder:
    """Encodes span plans of one suite run; keeps its repeated attributes encoded.

    A ``Planner`` given this encoder hands it each span's values as they come
    (``attributes``) and gets the encoded attributes back, skipping the dict of kept
    values in between; the bytes are the same either way.
    """

    def __init__(self) -> None:
        self._cache: dict[object, bytes] = {}
        # Encoded attribute by key and text as given (before shortening and redaction).
        self._texts: dict[tuple[str, str], bytes] = {}
        # Encoded attributes of a whole span, by its keys, values and their types.
        self._blocks: dict[object, bytes] = {}
        self._names: dict[str, bytes] = {}  # encoded span name fields

    def repeating_attributes(self, values: Mapping[str, Any], text: Callable[[str], str]) -> bytes:
        """``attributes`` of values that recur together, kept encoded as a whole."""
        found = tuple(values.values())
        key = (tuple(values), found, tuple(map(type, found)))
        try:
            data = self._blocks.get(key)
        except TypeError:  # an unhashable value (a list in a check's details)
            return self.attributes(values, text)
        if data is None:
            data = self.attributes(values, text)
            if len(self._blocks) < _CACHE_LIMIT:
                self._blocks[key] = data
        return data

    def attributes(self, values: Mapping[str, Any], text: Callable[[str], str]) -> bytes:
        """``values`` encoded as span attributes, as ``Planner.attributes`` keeps them.

        Strings go through ``text`` (the planner's shortening and redaction, which must be
        the same function for every call on this encoder); booleans and numbers are kept;
        anything else, ``None`` included, is left out.
        """
        cache, texts = self._cache, self._texts
        parts = []
        for key, value in values.items():
            kind = type(value)
            if kind is str:
                data = texts.get((key, value))
                if data is None:
                    data = _attributes({key: text(value)}, 9, cache)
                    if len(texts) < _CACHE_LIMIT:
                        texts[key, value] = data
            elif kind is float:  # durations, rates: rarely repeat, and cheap to encode
                name = cache.get(key)
                if name is None:
                    name = cache[key] = _field(1, key.encode("utf-8", "surrogatepass"))
                data = _field(9, name + b"\x12\x09\x21" + _double(value))
            elif kind is bool or kind is int:
                data = cache.get((key, kind, value))
                if data is None:
                    data = _attributes({key: value}, 9, cache)
            elif isinstance(value, str):
                data = _attributes({key: text(value)}, 9, cache)
            elif isinstance(value, bool | int | float):
                data = _attributes({key: value}, 9, cache)
            else:
                continue
            parts.append(data)
        return b"".join(parts)

    def spans(
        self, plan: SpanPlan, trace_id: int, parent: int | None, new_id: Iterable[int]
    ) -> list[bytes]:
        """``plan`` and its descendants as ``Span`` messages, parents first.

        Spans without planned IDs take the next of ``new_id``.
        """
        out: list[bytes] = []
        self._encode(plan, trace_id.to_bytes(16, "big"), parent, iter(new_id), out)
        return out

    def _encode(
        self, plan: SpanPlan, trace: bytes, parent: int | None, ids: Iterator[int], out: list[bytes]
    ) -> None:
        span_id = plan.ids.span_id if plan.ids else next(ids)
        attributes = plan.attributes
        parts = [b"\x0a\x10", trace, b"\x12\x08", span_id.to_bytes(8, "big")]
        if parent is not None:
            parts += (b"\x22\x08", parent.to_bytes(8, "big"))
        name = self._names.get(plan.name)
        if name is None:
            name = _field(5, plan.name.encode("utf-8", "surrogatepass"))
            if len(self._names) < _CACHE_LIMIT:
                self._names[plan.name] = name
        parts += (
            name,
            b"\x30\x03" if plan.client else b"\x30\x01",
            b"\x39",
            _fixed64(plan.start),
            b"\x41",
            _fixed64(plan.end),
            attributes
            if isinstance(attributes, bytes)
            else _attributes(attributes, 9, self._cache),
            _FLAGS,
        )
        if plan.error is not None:
            status = _field(2, plan.error.encode("utf-8", "surrogatepass")) + b"\x18\x02"
            parts.append(_field(15, status))
        out.append(b"".join(parts))
        for child in plan.children:
            self._encode(child, trace, span_id, ids, out)


def resource_spans_head(
    resource: Mapping[str, AttributeValue], scope_name: str, scope_version: str
) -> tuple[bytes, bytes]:
    """The encoded ``Resource`` and ``InstrumentationScope`` every request repeats."""
    resource_data = b"".join(_field(1, key_value(k, v)) for k, v in resource.items())
    scope_data = _field(1, scope_name.encode()) + _field(2, scope_version.encode())
    return _field(1, resource_data), _field(1, scope_data)


def request(head: tuple[bytes, bytes], spans: Iterable[bytes]) -> bytes:
    """An ``ExportTraceServiceRequest`` holding ``spans`` under one resource and scope."""
    resource, scope = head
    scope_spans = scope + b"".join(_field(2, span) for span in spans)
    return _field(1, resource + _field(2, scope_spans))
