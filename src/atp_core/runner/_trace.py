"""The event sink the runner hands to the adapter for one run."""

from __future__ import annotations

import attrs

from atp_core.protocol import Event

MAX_WARNINGS = 1_000


@attrs.define
class Trace:
    """Collects one run's events and protocol warnings, up to a limit.

    Events past ``max_events`` (and warnings past ``MAX_WARNINGS``) are counted, and the
    count is reported as one more warning, so nothing disappears silently.
    """

    max_events: int
    events: list[Event] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)
    dropped_events: int = 0
    dropped_warnings: int = 0

    def event(self, event: Event) -> None:
        """Keep one event."""
        if len(self.events) < self.max_events:
            self.events.append(event)
        else:
            self.dropped_events += 1

    def warning(self, message: str) -> None:
        """Keep one protocol warning."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        else:
            self.dropped_warnings += 1

    def all_warnings(self) -> tuple[str, ...]:
        """The kept warnings plus one line per kind of overflow."""
        out = list(self.warnings)
        if self.dropped_events:
            out.append(
                f"{self.dropped_events} events past the limit of {self.max_events} were not kept"
            )
        if self.dropped_warnings:
            out.append(f"{self.dropped_warnings} more protocol warnings were not kept")
        return tuple(out)
