"""Delivery of runner events to every sink, in order, through one memory object stream.

A sink that raises is logged and skipped for that event; the run and the other sinks go on.
A sink with a ``handles`` tuple of event types (``RunSink``) is called only for those: the
per-run events of a suite of in-process runs are most of what is delivered, and a sink
that ignores them would otherwise be awaited twice per run for nothing. A sink with a
``handle_now`` method (never waits) is called through it, without a coroutine per event.
Delivery is shielded from cancellation so that, after Ctrl-C, the final ``SuiteFinished``
still reaches every sink; it ends when the sending side is closed and the buffer drained.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import anyio
import anyio.lowlevel
import structlog

from atp_core.protocol import RunnerEvent, RunSink

log = structlog.get_logger(__name__)

# A sink that wants an event type, and its handle_now (None: await its handle).
_Route = tuple[RunSink, Callable[[RunnerEvent], None] | None]

BUFFER = 10_000
# Events published without delivery getting a turn before the publisher yields to it.
LAG = 32


class Fanout:
    """Publishes runner events to sinks without making runs wait on them."""

    def __init__(self, sinks: Sequence[RunSink]) -> None:
        self._sinks = tuple(sinks)
        # For each event type, the sinks that want it and how to call them (worked out at
        # its first event): (sink, handle_now) or (sink, None) to await sink.handle.
        self._routes: dict[type, tuple[_Route, ...]] = {}
        # Unbounded here; ``breathe`` bounds the backlog at BUFFER by waiting for delivery.
        self._send, self._receive = anyio.create_memory_object_stream[RunnerEvent](math.inf)
        self._sent = 0
        self._delivered = 0
        self._since_turn = 0  # published since delivery last had a turn
        self._caught_up = anyio.Event()

    def publish_nowait(self, event: RunnerEvent) -> None:
        """Queue one event for every sink, at once (never a cancellation point)."""
        self._send.send_nowait(event)
        self._sent += 1
        self._since_turn += 1

    async def breathe(self) -> None:
        """Let delivery run when it lags; wait while the backlog is over ``BUFFER``."""
        if self._since_turn >= LAG:
            # Runs that never wait (an in-process agent) would otherwise never let delivery
            # run, and every sink (progress, store, live view, span export) would get the
            # whole suite at its end.
            self._since_turn = 0
            await anyio.lowlevel.checkpoint()
        while self._sent - self._delivered > BUFFER:
            self._caught_up = anyio.Event()
            await self._caught_up.wait()

    async def publish(self, event: RunnerEvent) -> None:
        """Queue one event for every sink, then ``breathe``."""
        self.publish_nowait(event)
        await self.breathe()

    async def close(self) -> None:
        """No more events; delivery finishes what is queued."""
        await self._send.aclose()

    async def deliver(self) -> None:
        """Hand each queued event to each sink, in order, until closed."""
        with anyio.CancelScope(shield=True):
            async with self._receive:
                async for first in self._receive:
                    self._since_turn = 0
                    for event in (first, *self._ready()):
                        sinks = self._routes.get(type(event))
                        if sinks is None:
                            sinks = self._route(type(event))
                        for sink, now in sinks:
                            # Inline, not a helper coroutine: this runs per sink and event.
                            try:
                                if now is None:
                                    await sink.handle(event)
                                else:
                                    now(event)
                            except Exception as exc:
                                _failed(sink, event, exc)
                        self._delivered += 1
                    self._caught_up.set()

    def _route(self, kind: type) -> tuple[_Route, ...]:
        sinks = tuple((s, getattr(s, "handle_now", None)) for s in self._sinks if _wants(s, kind))
        self._routes[kind] = sinks
        return sinks

    def _ready(self) -> list[RunnerEvent]:
        """Every event already queued, taken without a trip through the event loop."""
        ready: list[RunnerEvent] = []
        while True:
            try:
                ready.append(self._receive.receive_nowait())
            except (anyio.WouldBlock, anyio.EndOfStream):
                return ready


def _wants(sink: RunSink, kind: type) -> bool:
    handles = getattr(sink, "handles", None)
    return handles is None or issubclass(kind, tuple(handles))


def _failed(sink: RunSink, event: RunnerEvent, exc: Exception) -> None:
    log.error(
        "run sink failed",
        sink=type(sink).__name__,
        runner_event=type(event).__name__,
        error=f"{type(exc).__name__}: {exc}",
    )
