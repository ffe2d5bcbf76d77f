"""Making runs' workspaces cheaply: empty ones left by finished runs are reused.

A ``mkdir`` cost 0.14-0.24 ms of kernel CPU under /tmp on the benchmark machine (ext4),
more than the rest of a fast run, and a worker thread does not help: a thread that makes
many short syscalls waits for the GIL after each one while the event loop is busy.
Renaming an empty directory costs ~0.014 ms. So a finished run's workspace that is still
empty, with the owner and mode it was made with, is renamed to the next run's name
instead of being removed; one that holds anything goes to the ``Reaper``. To the next
run's agent a reused workspace is indistinguishable from a new one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import anyio

from atp_core.runner._premade import Premade
from atp_core.runner._reaper import Reaper
from atp_core.runner._workspace import safe_name


class WorkspacePool:
    """Makes ``<root>/<test_id>-<run_number>`` workspaces (suffixed if the name is taken)."""

    def __init__(
        self, root: Path, reaper: Reaper, *, fresh: bool = False, at_once: int = 1
    ) -> None:
        """``fresh``: ``root`` is new and only this pool makes names in it; ``at_once``:
        how many runs start together (in a fresh root, so many are made ahead)."""
        self._root = root
        self._premade = Premade(root, at_once if fresh else 0)
        self._reaper = reaper
        self._spare: list[Path] = []
        self._shape: tuple[int, int, int] | None = None  # mode, uid, gid of a new workspace
        # In a fresh root, every name that exists is one this pool made: a set lookup
        # replaces a stat of the target before each reuse.
        self._made: set[str] | None = set() if fresh else None
        # Runs not started yet; the scheduler keeps it current. Spares beyond it would only
        # wait for the end of the suite to be removed; the reaper removes them meanwhile.
        self.to_come = 1 << 62

    async def make(self, test_id: str, run_number: int, fixture: str | None) -> Path:
        """The new workspace of one run, with the fixture copied in.

        Raises:
            OSError: the directory could not be made or the fixture not copied.
        """
        base = f"{safe_name(test_id)}-{run_number}"
        if fixture is None:
            return self._empty(base)
        return await anyio.to_thread.run_sync(self._with_fixture, base, fixture)

    def discard(self, workspace: Path) -> None:
        """Take back a finished run's workspace: kept for reuse if untouched and some run
        may still need one (``to_come``), else removed."""
        if len(self._spare) < self.to_come and self._untouched(workspace):
            self._spare.append(workspace)
        else:
            self._reaper.discard(workspace)

    async def aclose(self) -> None:
        """Hand every spare workspace to the reaper; no more are made."""
        for spare in [*self._spare, *await self._premade.aclose()]:
            self._reaper.discard(spare)
        self._spare.clear()

    def _empty(self, base: str, reuse: bool = True) -> Path:
        name, attempt = base, 1
        while True:
            path = self._root / name
            if (reuse and self._reuse(path, name)) or self._fresh_dir(path, name, reuse):
                if self._made is not None:
                    self._made.add(name)
                return path
            attempt += 1
            name = f"{base}.{attempt}"

    def _taken(self, path: Path, name: str) -> bool:
        if self._made is not None:
            return name in self._made
        return os.path.lexists(path)

    def _reuse(self, path: Path, name: str) -> bool:
        """Rename a spare workspace to ``path``, unless that name is taken."""
        while self._spare and not self._taken(path, name):
            spare = self._spare.pop()
            try:
                os.rename(spare, path)
            except OSError:
                self._reaper.discard(spare)
                continue
            return True
        return False

    def _fresh_dir(self, path: Path, name: str, premade: bool) -> bool:
        """A new directory at ``path``: a premade one renamed, else ``mkdir``."""
        if premade and not self._taken(path, name) and self._premade.take(path):
            if self._shape is None:
                info = os.lstat(path)
                self._shape = (info.st_mode, info.st_uid, info.st_gid)
            return True
        return self._mkdir(path)

    def _mkdir(self, path: Path) -> bool:
        """Make ``path``; false when it exists already."""
        try:
            os.mkdir(path)
        except FileExistsError:
            return False
        except FileNotFoundError:
            self._root.mkdir(parents=True, exist_ok=True)
            os.mkdir(path)
        if self._shape is None:
            info = os.lstat(path)
            self._shape = (info.st_mode, info.st_uid, info.st_gid)
        return True

    def _with_fixture(self, base: str, fixture: str) -> Path:
        # In a worker thread: spares belong to the event loop's thread, so a new directory.
        path = self._empty(base, reuse=False)
        try:
            shutil.copytree(fixture, path, symlinks=True, dirs_exist_ok=True)
        except OSError:
            shutil.rmtree(path, ignore_errors=True)
            raise
        return path

    def _untouched(self, workspace: Path) -> bool:
        """Empty, still a directory, with the owner and mode it was made with."""
        try:
            info = os.lstat(workspace)
            if (info.st_mode, info.st_uid, info.st_gid) != self._shape:
                return False
            with os.scandir(workspace) as entries:
                return next(entries, None) is None
        except OSError:
            return False
