"""Limits of the bwrap sandbox: deadline, processes, memory and CPU time."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import anyio
import psutil
import pytest

from atp_core.sandbox import SandboxOptions, run_sandboxed
from atp_core.sandbox._cgroup import cgroup_dir, parse_mountinfo, parse_proc_cgroup

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox, pytest.mark.usefixtures("bwrap_ready")]

BWRAP = SandboxOptions(mode="bwrap")


def marked(marker: str) -> list[psutil.Process]:
    """Processes on the host whose argv[0] is ``marker``."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if cmdline and cmdline[0] == marker:
            found.append(proc)
    return found


async def wait_for(predicate: object, seconds: float) -> bool:
    """Poll ``predicate`` until it holds or ``seconds`` pass."""
    assert callable(predicate)
    with anyio.move_on_after(seconds):
        while not predicate():  # noqa: ASYNC110 - polling the host's process table
            await anyio.sleep(0.05)
        return True
    return False


def detached_sleeper(marker: str) -> list[str]:
    """A command that leaves a detached ``sleep 300`` named ``marker``, then sleeps 60 s."""
    return ["sh", "-c", f"setsid bash -c 'exec -a {marker} sleep 300' & sleep 60"]


async def test_deadline_kills_the_command_and_its_detached_children(workspace: Path) -> None:
    """A 60 s sleep under a 2 s deadline times out, and its detached child dies with it."""
    marker = f"atp-marker-{uuid.uuid4().hex}"
    seen: list[bool] = []

    async def watch() -> None:
        seen.append(await wait_for(lambda: bool(marked(marker)), 5))

    async with anyio.create_task_group() as tg:
        tg.start_soon(watch)
        result = await run_sandboxed(
            detached_sleeper(marker), workspace=workspace, options=BWRAP, timeout=2
        )
    assert seen == [True]
    assert result.timed_out
    assert result.killed_reason == "timeout"
    assert 2 <= result.duration_seconds < 10
    assert await wait_for(lambda: not marked(marker), 3)


async def test_cancelling_the_caller_kills_the_sandboxed_processes(workspace: Path) -> None:
    """When the awaiting task is cancelled, nothing started in the sandbox survives."""
    marker = f"atp-marker-{uuid.uuid4().hex}"
    with anyio.move_on_after(1.5) as scope:
        await run_sandboxed(
            detached_sleeper(marker), workspace=workspace, options=BWRAP, timeout=30
        )
    assert scope.cancelled_caught
    assert await wait_for(lambda: not marked(marker), 3)


FORK_BOMB = """
import os, sys, time
count = 0
try:
    for _ in range(300):
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        count += 1
    print("forked", count)
except OSError as exc:
    print("fork failed after", count, type(exc).__name__)
"""


async def test_fork_bomb_stops_at_the_process_limit(workspace: Path) -> None:
    """Forking in a loop fails once the run holds ``max_processes`` processes."""
    options = SandboxOptions(mode="bwrap", max_processes=64)
    result = await run_sandboxed(
        [sys.executable, "-c", FORK_BOMB], workspace=workspace, options=options, timeout=30
    )
    words = result.stdout.split()
    assert words[:3] == ["fork", "failed", "after"], result
    assert int(words[3]) < 64


MEMORY_HOG = """
chunks = []
for i in range(32):
    chunks.append(b"x" * (64 * 1024 * 1024))
print("allocated", 64 * len(chunks), "MB")
"""


async def test_memory_hog_is_stopped_at_the_memory_limit(workspace: Path) -> None:
    """Writing 2 GB under a 256 MB limit ends the process before it finishes."""
    options = SandboxOptions(mode="bwrap", memory_mb=256)
    result = await run_sandboxed(
        [sys.executable, "-c", MEMORY_HOG], workspace=workspace, options=options, timeout=30
    )
    assert "allocated" not in result.stdout
    assert result.exit_code != 0
    if result.limits.startswith("cgroup"):
        assert result.killed_reason == "memory"
    else:
        assert "MemoryError" in result.stderr


async def test_busy_loop_is_stopped_at_the_cpu_time_limit(workspace: Path) -> None:
    """A busy loop is killed after ``cpu_seconds`` of CPU time, long before its deadline."""
    options = SandboxOptions(mode="bwrap", cpu_seconds=1)
    result = await run_sandboxed(
        [sys.executable, "-c", "while True: pass"], workspace=workspace, options=options,
        timeout=30,
    )
    assert result.killed_reason == "cpu"
    assert not result.timed_out


def our_cgroups() -> list[Path]:
    """Cgroups this test process's sandbox runs created that still exist."""
    mounts = parse_mountinfo(Path("/proc/self/mountinfo").read_text())
    paths = parse_proc_cgroup(Path("/proc/self/cgroup").read_text())
    prefix = f"atp-sandbox-{os.getpid()}-"
    left = []
    for mount in mounts:
        for controller in [*mount.controllers, ""]:
            if controller in paths and (mount.version == 2) == (controller == ""):
                base = cgroup_dir(mount, paths[controller])
                if base is not None and base.is_dir():
                    left += [p for p in base.iterdir() if p.name.startswith(prefix)]
    return left


async def test_per_run_cgroups_are_removed_afterwards(workspace: Path) -> None:
    """Whatever cgroup a run was confined in is gone once the run returns."""
    result = await run_sandboxed(
        ["sh", "-c", "sleep 30 & echo started"], workspace=workspace, options=BWRAP, timeout=20
    )
    assert result.stdout == "started\n"
    assert result.limits in ("cgroup-v1", "cgroup-v2", "rlimit")
    assert our_cgroups() == []
