"""Removing finished runs' workspaces in the background, off the runs' critical path.

Deleting a directory can cost more than a whole run of a fast in-process agent (``rmdir``
took about 0.3 ms on the benchmark machine, and each hop to a worker thread about 0.1 ms).
So a run hands its workspace over and frees its slot at once; one task removes the
workspaces in batches in a worker thread, and ``run_suite`` waits for it before returning.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import anyio


class Reaper:
    """Removes handed-over workspaces until closed, then finishes what is queued."""

    def __init__(self) -> None:
        self._send, self._receive = anyio.create_memory_object_stream[Path](math.inf)

    def discard(self, workspace: Path) -> None:
        """Queue ``workspace`` for removal; never blocks."""
        self._send.send_nowait(workspace)

    def close(self) -> None:
        """No more workspaces; ``run`` ends once the queued ones are removed."""
        self._send.close()

    async def run(self) -> None:
        """Remove queued workspaces in batches until closed (shielded from cancellation)."""
        with anyio.CancelScope(shield=True):
            async with self._receive:
                async for first in self._receive:
                    batch = [first, *self._ready()]
                    await anyio.to_thread.run_sync(_remove_all, batch)

    def _ready(self) -> list[Path]:
        ready: list[Path] = []
        while True:
            try:
                ready.append(self._receive.receive_nowait())
            except (anyio.WouldBlock, anyio.EndOfStream):
                return ready


def _remove_all(workspaces: Sequence[Path]) -> None:
    for workspace in workspaces:
        try:
            os.rmdir(workspace)  # most workspaces are empty: one syscall, GIL released
        except OSError:
            shutil.rmtree(workspace, ignore_errors=True)
