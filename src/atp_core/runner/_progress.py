"""A plain-text progress bar for the terminal, as a run sink (no terminal library)."""

from __future__ import annotations

import sys
from typing import TextIO

from atp_core.protocol import RunFinished, RunnerEvent, SuiteFinished, SuiteStarted

BAR_WIDTH = 30
LINE_STEPS = 10  # without a terminal, print about this many lines per suite run


class ProgressSink:
    """Shows runs done out of total, with passed/failed/error counts.

    On a terminal the bar is redrawn in place with ``\\r``; otherwise a line is printed
    every tenth of the way (and at the end), so logs stay short.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._tty = self._stream.isatty()
        self._total = 0
        self._done = 0
        self._counts = {"passed": 0, "failed": 0, "error": 0}
        self._printed_step = -1

    async def handle(self, event: RunnerEvent) -> None:
        """Update the display for one runner event."""
        if isinstance(event, SuiteStarted):
            self._total, self._done = event.total_runs, 0
            self._counts = dict.fromkeys(self._counts, 0)
            self._printed_step = -1
            self._stream.write(f"{event.suite} against {event.agent}: {event.total_runs} runs\n")
        elif isinstance(event, RunFinished):
            self._done += 1
            self._counts[event.record.verdict] += 1
            self._show()
        elif isinstance(event, SuiteFinished):
            end = "\n" if self._tty and self._printed_step >= 0 else ""
            self._stream.write(f"{end}{self.line()} - {event.result.status}\n")
        self._stream.flush()

    def line(self) -> str:
        """The current progress line, e.g. ``[#####-----] 5/10 runs  passed 4 failed 1 error 0``."""
        share = self._done / self._total if self._total else 1.0
        filled = round(BAR_WIDTH * min(share, 1.0))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        counts = " ".join(f"{k} {v}" for k, v in self._counts.items())
        return f"[{bar}] {self._done}/{self._total} runs  {counts}"

    def _show(self) -> None:
        if self._tty:
            self._stream.write("\r" + self.line())
            self._printed_step = 0
            return
        step = (self._done * LINE_STEPS) // self._total if self._total else LINE_STEPS
        if step > self._printed_step and self._done < self._total:
            self._printed_step = step
            self._stream.write(self.line() + "\n")
