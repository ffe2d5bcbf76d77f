"""``FakeClock``: time that moves only when the test says so."""

from __future__ import annotations

import datetime as dt

import attrs

EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@attrs.define(kw_only=True)
class FakeClock:
    """A settable clock: ``advance`` moves wall and monotonic time together."""

    wall: dt.datetime = EPOCH
    mono: float = 0.0
    tick: float = 0.0

    def now(self) -> dt.datetime:
        """The wall time."""
        return self.wall

    def monotonic(self) -> float:
        """The monotonic time; each reading advances by ``tick`` afterwards."""
        value = self.mono
        if self.tick:
            self.advance(self.tick)
        return value

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        self.mono += seconds
        self.wall += dt.timedelta(seconds=seconds)

    def set(self, wall: dt.datetime) -> None:
        """Set the wall time (monotonic time is untouched)."""
        self.wall = wall
