"""In-memory sinks: ``MemorySink`` for runner events, ``EventCapture`` for agent events."""

from __future__ import annotations

from typing import TypeVar

from atp_core.protocol import Event, RunnerEvent

E = TypeVar("E")


class MemorySink:
    """A run sink that keeps every runner event, in order."""

    def __init__(self) -> None:
        self.events: list[RunnerEvent] = []

    async def handle(self, event: RunnerEvent) -> None:
        """Keep ``event``."""
        self.events.append(event)

    def of_type(self, cls: type[E]) -> list[E]:
        """The kept events of one type, in order."""
        return [e for e in self.events if isinstance(e, cls)]


class EventCapture:
    """An event sink (what adapters report to) that keeps events and warnings."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.warnings: list[str] = []

    def event(self, event: Event) -> None:
        """Keep one event."""
        self.events.append(event)

    def warning(self, message: str) -> None:
        """Keep one protocol warning."""
        self.warnings.append(message)
