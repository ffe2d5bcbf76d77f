"""Delivery of runner events to every sink, in order, through one memory object stream.

A sink that raises is logged and skipped for that event; the run and the other sinks go on.
Delivery is shielded from cancellation so that, after Ctrl-C, the final ``SuiteFinished``
still reaches every sink; it ends when the sending side is closed and the buffer drained.
"""

from __future__ import annotations

from collections.abc import Sequence

import anyio
import anyio.lowlevel
import structlog

from atp_core.protocol import RunnerEvent, RunSink

log = structlog.get_logger(__name__)

BUFFER = 10_000
# Events published without delivery getting a turn before the publisher yields to it.
LAG = 32


class Fanout:
    """Publishes runner events to sinks without making runs wait on them."""

    def __init__(self, sinks: Sequence[RunSink]) -> None:
        self._sinks = tuple(sinks)
        self._send, self._receive = anyio.create_memory_object_stream[RunnerEvent](BUFFER)
        self._queued = 0  # published since delivery last had a turn

    async def publish(self, event: RunnerEvent) -> None:
        """Queue one event for every sink; let the sinks catch up when they lag behind."""
        try:
            # No checkpoint for most events: each is a trip through the event loop, and a
            # run publishes two or three events.
            self._send.send_nowait(event)
        except anyio.WouldBlock:
            await self._send.send(event)
        self._queued += 1
        if self._queued >= LAG:
            # Runs that never wait (an in-process agent) would otherwise never let delivery
            # run, and every sink (progress, store, live view, span export) would get the
            # whole suite at its end.
            self._queued = 0
            await anyio.lowlevel.checkpoint()

    async def close(self) -> None:
        """No more events; delivery finishes what is queued."""
        await self._send.aclose()

    async def deliver(self) -> None:
        """Hand each queued event to each sink, in order, until closed."""
        with anyio.CancelScope(shield=True):
            async with self._receive:
                async for first in self._receive:
                    self._queued = 0
                    for event in (first, *self._ready()):
                        for sink in self._sinks:
                            await _deliver_one(sink, event)

    def _ready(self) -> list[RunnerEvent]:
        """Every event already queued, taken without a trip through the event loop."""
        ready: list[RunnerEvent] = []
        while True:
            try:
                ready.append(self._receive.receive_nowait())
            except (anyio.WouldBlock, anyio.EndOfStream):
                return ready


async def _deliver_one(sink: RunSink, event: RunnerEvent) -> None:
    try:
        await sink.handle(event)
    except Exception as exc:
        log.error(
            "run sink failed",
            sink=type(sink).__name__,
            runner_event=type(event).__name__,
            error=f"{type(exc).__name__}: {exc}",
        )
