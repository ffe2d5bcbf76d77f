"""The in-process live feed: runs started by this server report progress without the store.

``FeedSink`` is a ``RunSink`` placed after the ``StoreSink``; it counts finished runs and
tests per suite run and wakes every watcher of that suite run, so live pages update as soon
as a run ends instead of at the next poll of the store.
"""

from __future__ import annotations

import anyio
import attrs

from atp_core.protocol import (
    RunFinished,
    RunnerEvent,
    SuiteFinished,
    SuiteStarted,
    TestFinished,
)


@attrs.define
class FeedProgress:
    """What the feed knows of one suite run started in this process."""

    total_runs: int = 0
    runs_done: int = 0
    tests_done: int = 0
    finished: bool = False
    started: anyio.Event = attrs.Factory(anyio.Event)
    changed: anyio.Event = attrs.Factory(anyio.Event)


class LiveFeed:
    """Progress of in-process suite runs, and a wake-up for anyone watching one."""

    def __init__(self) -> None:
        self._runs: dict[str, FeedProgress] = {}

    def progress(self, suite_run_id: str) -> FeedProgress | None:
        """The feed's progress of a suite run, if it runs (or ran) in this process."""
        return self._runs.get(suite_run_id)

    def track(self, suite_run_id: str) -> FeedProgress:
        """Start following a suite run (before its first event arrives)."""
        return self._runs.setdefault(suite_run_id, FeedProgress())

    def touch(self, suite_run_id: str) -> None:
        """Wake the watchers of a suite run."""
        progress = self.track(suite_run_id)
        old, progress.changed = progress.changed, anyio.Event()
        old.set()

    async def wait(self, suite_run_id: str, timeout: float) -> None:
        """Return when the suite run changes or after ``timeout`` seconds."""
        progress = self._runs.get(suite_run_id)
        with anyio.move_on_after(timeout):
            if progress is None:
                await anyio.sleep(timeout)
            else:
                await progress.changed.wait()


class FeedSink:
    """A ``RunSink`` feeding ``LiveFeed``."""

    def __init__(self, feed: LiveFeed) -> None:
        self.feed = feed

    async def handle(self, event: RunnerEvent) -> None:
        """Count the event into its suite run's progress and wake watchers."""
        progress = self.feed.track(event.suite_run_id)
        match event:
            case SuiteStarted():
                progress.total_runs = event.total_runs
                progress.started.set()
            case RunFinished():
                progress.runs_done += 1
            case TestFinished():
                progress.tests_done += 1
            case SuiteFinished():
                progress.finished = True
            case _:
                return
        self.feed.touch(event.suite_run_id)
