"""``Sender``: the span export process's batches of encoded spans, sent by the SDK exporter.

The spans arrive already encoded (``_otlp``). A worker thread wraps them in export requests
of up to 512 spans and hands each to the SDK's ``OTLPSpanExporter``, which keeps what it
is good at: the ``OTEL_EXPORTER_OTLP_*`` settings (endpoint, headers, compression,
timeout, certificates), retries with back-off, and the HTTP session. It exports when a
batch is full, every 200 ms (a long suite run's spans do not wait for its end), on
``push`` (a suite run has ended: its last spans go while the parent winds down) and on
``flush``.

The exporter encodes ``ReadableSpan`` objects through its module's ``encode_spans``;
``encoded_export`` lets an already encoded batch pass through it unchanged. That is the
one place this process reaches into the exporter; if the name is missing (a future SDK),
the process refuses to start and the parent exports in-process with the SDK's own path.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from atp_core.observability._otlp import request

BATCH = 512  # spans per export request, as the SDK's BatchSpanProcessor
DELAY = 0.2  # seconds between exports while spans arrive slowly

Export = Callable[[bytes, int], bool]


class _Encoded:
    """An encoded batch, in the place of the ``ReadableSpan`` list ``export`` expects."""

    __slots__ = ("count", "data")

    def __init__(self, data: bytes, count: int) -> None:
        self.data, self.count = data, count

    def __len__(self) -> int:
        return self.count

    def SerializePartialToString(self) -> bytes:  # the protobuf method exporters call
        return self.data

    SerializeToString = SerializePartialToString


def encoded_export(exporter: SpanExporter) -> Export:
    """A function exporting an encoded request of ``count`` spans through ``exporter``."""
    module = sys.modules[type(exporter).__module__]
    original: Callable[[Any], Any] = getattr(module, "encode_spans")  # noqa: B009  (raises if gone)

    def encode_spans(spans: Any) -> Any:
        return spans if isinstance(spans, _Encoded) else original(spans)

    setattr(module, "encode_spans", encode_spans)  # noqa: B010

    def export(data: bytes, count: int) -> bool:
        return exporter.export(_Encoded(data, count)) is SpanExportResult.SUCCESS  # type: ignore[arg-type]

    return export


class Sender:
    """Collects encoded spans and exports them from a worker thread."""

    def __init__(
        self, export: Export, head: tuple[bytes, bytes], close: Callable[[], object] = object
    ) -> None:
        self._export, self._head, self._close = export, head, close
        self._spans: list[bytes] = []
        self._cond = threading.Condition()
        self._asked = self._done = 0
        self._stopping = False
        self.failed = 0  # requests the exporter gave up on
        self._thread = threading.Thread(target=self._loop, name="atp-span-sender", daemon=True)
        self._thread.start()

    def add(self, spans: Sequence[bytes]) -> None:
        """Queue encoded spans; a full batch wakes the worker."""
        with self._cond:
            self._spans += spans
            if len(self._spans) >= BATCH:
                self._cond.notify()

    def push(self) -> int:
        """Have every span queued so far exported now, without waiting; returns a ticket."""
        with self._cond:
            self._asked += 1
            self._cond.notify_all()
            return self._asked

    def flush(self) -> None:
        """Return once every span queued so far has been handed to the exporter."""
        with self._cond:
            self._asked += 1
            ticket = self._asked
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._done >= ticket)

    def shutdown(self, exported: Callable[[], object] = object) -> None:
        """Export what is queued, call ``exported``, then stop the worker and the exporter."""
        self.flush()
        exported()
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join()
        self._close()

    def _ready(self) -> bool:
        return self._stopping or self._asked > self._done or len(self._spans) >= BATCH

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(self._ready, timeout=DELAY)
                spans, self._spans = self._spans, []
                ticket, stopping = self._asked, self._stopping
            for at in range(0, len(spans), BATCH):
                batch = spans[at : at + BATCH]
                try:
                    ok = self._export(request(self._head, batch), len(batch))
                except Exception as exc:  # an exporter bug must not hang flush()
                    print(f"span export failed: {exc!r}", file=sys.stderr)
                    ok = False
                self.failed += not ok
            with self._cond:
                self._done = ticket
                self._cond.notify_all()
            if stopping:
                return
