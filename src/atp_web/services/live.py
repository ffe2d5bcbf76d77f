"""Live progress of a suite run: a poller over the store, woken early by the in-process feed.

``watch`` yields a ``Snapshot`` whenever something a page shows has changed, starting with
the current state, and stops after the suite run has finished. A reconnecting client passes
the key of the last snapshot it saw and gets nothing until something changes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import attrs

from atp_core.store import Store, SuiteRunDetail
from atp_web.services.feed import LiveFeed


@attrs.frozen(kw_only=True)
class Snapshot:
    """What a live page shows of a suite run."""

    detail: SuiteRunDetail
    runs_done: int

    @property
    def running(self) -> bool:
        """Whether the suite run is still going."""
        return self.detail.header.status == "running"

    @property
    def key(self) -> str:
        """Changes whenever anything shown changes (used as the SSE event id)."""
        h = self.detail.header
        return f"{h.status}.{self.runs_done}.{h.total_runs}.{len(self.detail.tests)}"


async def snapshot(store: Store, feed: LiveFeed, suite_run_id: str) -> Snapshot | None:
    """The suite run as it is now, with the feed's newer run count when it has one."""
    detail = await store.get_suite_run(suite_run_id)
    if detail is None:
        return None
    runs_done = detail.header.runs_done
    progress = feed.progress(suite_run_id)
    if progress is not None and detail.header.status == "running":
        runs_done = max(runs_done, progress.runs_done)
    return Snapshot(detail=detail, runs_done=runs_done)


async def watch(
    store: Store, feed: LiveFeed, suite_run_id: str, interval: float, last_key: str | None = None
) -> AsyncIterator[Snapshot]:
    """Snapshots of a suite run as it changes; ends once it has finished (or vanished)."""
    while True:
        current = await snapshot(store, feed, suite_run_id)
        if current is None:
            return
        if current.key != last_key:
            last_key = current.key
            yield current
        if not current.running:
            return
        await feed.wait(suite_run_id, interval)
