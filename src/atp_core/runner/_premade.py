"""Empty directories made ahead, for the first wave of runs, by one ``mkdir`` process.

At high ``--parallel`` the first wave of runs needs as many new workspaces at once, and each
``mkdir`` cost 0.14-0.24 ms of kernel CPU on the benchmark machine (ext4 under /tmp): with
256 runs that is ~40 ms on the event loop's thread before the last of them can send its
request. Later runs reuse finished runs' workspaces (``WorkspacePool``). A thread does not
help (it waits for the interpreter lock after every syscall while the loop is busy); one
``mkdir`` process makes them all on another core while the loop opens connections. The
pool renames a made one into place (~0.014 ms) and makes its own when the next one is not
there yet. Only in a fresh root ATP made itself, so no name can be anybody else's.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import anyio

# Below this many runs at once a process costs more than the directories it saves.
PREMAKE_FROM = 32


class Premade:
    """``count`` directories ``<root>/.premade-<i>``, made in order by a child ``mkdir``."""

    def __init__(self, root: Path, count: int) -> None:
        self._waiting: list[Path] = []
        self._process: subprocess.Popen[bytes] | None = None
        if count < PREMAKE_FROM:
            return
        mkdir = shutil.which("mkdir")
        paths = [root / f".premade-{i}" for i in range(count)]
        if mkdir is None:
            return
        try:
            self._process = subprocess.Popen(
                [mkdir, "--", *map(str, paths)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return
        self._waiting = paths[::-1]  # popped from the end: in the order mkdir makes them

    def take(self, target: Path) -> bool:
        """Rename the next made directory to ``target``; false if none is made yet."""
        if not self._waiting:
            return False
        candidate = self._waiting.pop()
        try:
            candidate.rename(target)
        except FileNotFoundError:
            self._waiting.append(candidate)  # not made yet: later ones are not either
            return False
        except OSError:
            return False
        return True

    async def aclose(self) -> list[Path]:
        """Wait for the ``mkdir`` process; the directories it made that nobody took."""
        if self._process is not None and self._process.poll() is None:
            await anyio.to_thread.run_sync(self._process.wait)
        left, self._waiting = self._waiting, []
        return [path for path in left if path.is_dir()]
