"""Per-run control groups: memory, process and CPU limits that hold for every descendant.

A group is made as a child of the cgroup this process already lives in, so the sandbox
never escapes limits that were put on ATP itself. cgroup v2 is used when its memory and
pids controllers can be delegated to a child; otherwise the v1 ``memory`` and ``pids``
hierarchies when they are mounted and writable. Without either, the caller falls back
to rlimits.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

import anyio
import attrs
import structlog

log = structlog.get_logger("atp.sandbox")

_CPU_PERIOD_US = 100_000


@attrs.frozen(kw_only=True)
class CgroupMount:
    """One mounted cgroup hierarchy, as read from ``/proc/self/mountinfo``."""

    version: int
    root: str
    mountpoint: Path
    controllers: frozenset[str]


@attrs.frozen(kw_only=True)
class CgroupLimits:
    """The limits to put on one sandboxed run."""

    memory_bytes: int
    max_processes: int
    cpu_cores: float = 1.0


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text: str) -> list[CgroupMount]:
    """The cgroup hierarchies listed in a ``mountinfo`` file's text."""
    mounts = []
    for line in text.splitlines():
        head, sep, tail = line.partition(" - ")
        fields, tail_fields = head.split(), tail.split()
        if not sep or len(fields) < 5 or len(tail_fields) < 3:
            continue
        fstype, super_options = tail_fields[0], tail_fields[2].split(",")
        if fstype not in ("cgroup", "cgroup2"):
            continue
        controllers = frozenset(
            o for o in super_options if o not in ("rw", "ro") and "=" not in o
        )
        mounts.append(CgroupMount(
            version=2 if fstype == "cgroup2" else 1,
            root=_unescape(fields[3]),
            mountpoint=Path(_unescape(fields[4])),
            controllers=controllers if fstype == "cgroup" else frozenset(),
        ))
    return mounts


def parse_proc_cgroup(text: str) -> dict[str, str]:
    """Controller → cgroup path from ``/proc/<pid>/cgroup``; key ``""`` is the v2 path."""
    paths: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for controller in parts[1].split(",") if parts[1] else [""]:
            paths[controller] = parts[2]
    return paths


def cgroup_dir(mount: CgroupMount, path: str) -> Path | None:
    """Where cgroup ``path`` of ``mount``'s hierarchy appears in this mount namespace."""
    root = mount.root.rstrip("/")
    if path != root and not path.startswith(root + "/"):
        return None
    return mount.mountpoint / path[len(root):].lstrip("/")


@attrs.frozen(kw_only=True)
class LimitGroup:
    """A cgroup (one directory per hierarchy) that one sandboxed run is confined in."""

    kind: str
    dirs: tuple[Path, ...]
    memory_dir: Path

    @property
    def procs_files(self) -> tuple[Path, ...]:
        """The files a process writes its pid to in order to join the group."""
        return tuple(d / "cgroup.procs" for d in self.dirs)

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of this group for exceeding its memory."""
        name = "memory.events" if self.kind == "cgroup-v2" else "memory.oom_control"
        with contextlib.suppress(OSError):
            for line in (self.memory_dir / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    return True
        return False

    def _pids(self) -> set[int]:
        pids: set[int] = set()
        for procs in self.procs_files:
            with contextlib.suppress(OSError, ValueError):
                pids.update(int(p) for p in procs.read_text().split())
        return pids

    async def close(self) -> None:
        """Kill whatever is left in the group, then remove the group's directories."""
        for _ in range(50):
            pids = self._pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            await anyio.sleep(0.02)
        for directory in self.dirs:
            try:
                directory.rmdir()
            except OSError as exc:
                log.warning("sandbox cgroup not removed", path=str(directory), error=str(exc))


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def _make_v2(parent: Path, name: str, limits: CgroupLimits) -> LimitGroup:
    available = set((parent / "cgroup.controllers").read_text().split())
    if not {"memory", "pids"} <= available:
        raise OSError("cgroup v2 memory/pids controllers are not available here")
    enabled = set((parent / "cgroup.subtree_control").read_text().split())
    wanted = [c for c in ("memory", "pids", "cpu") if c in available and c not in enabled]
    if wanted:
        _write(parent / "cgroup.subtree_control", " ".join("+" + c for c in wanted))
    group = parent / name
    group.mkdir()
    result = LimitGroup(kind="cgroup-v2", dirs=(group,), memory_dir=group)
    try:
        _write(group / "memory.max", str(limits.memory_bytes))
        if (group / "memory.swap.max").exists():
            _write(group / "memory.swap.max", "0")
        _write(group / "pids.max", str(limits.max_processes))
        if (group / "cpu.max").exists():
            _write(group / "cpu.max", f"{int(_CPU_PERIOD_US * limits.cpu_cores)} {_CPU_PERIOD_US}")
    except OSError:
        group.rmdir()
        raise
    return result


def _make_v1(dirs: dict[str, Path], name: str, limits: CgroupLimits) -> LimitGroup:
    made: list[Path] = []
    try:
        for controller in ("memory", "pids", "cpu"):
            if controller in dirs:
                (dirs[controller] / name).mkdir()
                made.append(dirs[controller] / name)
        memory, pids = dirs["memory"] / name, dirs["pids"] / name
        _write(memory / "memory.limit_in_bytes", str(limits.memory_bytes))
        if (memory / "memory.memsw.limit_in_bytes").exists():
            _write(memory / "memory.memsw.limit_in_bytes", str(limits.memory_bytes))
        _write(pids / "pids.max", str(limits.max_processes))
        if "cpu" in dirs:
            cpu = dirs["cpu"] / name
            _write(cpu / "cpu.cfs_period_us", str(_CPU_PERIOD_US))
            _write(cpu / "cpu.cfs_quota_us", str(int(_CPU_PERIOD_US * limits.cpu_cores)))
    except OSError:
        for directory in reversed(made):
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    return LimitGroup(kind="cgroup-v1", dirs=tuple(made), memory_dir=memory)


def make_limit_group(
    name: str,
    limits: CgroupLimits,
    *,
    mountinfo: str | None = None,
    proc_cgroup: str | None = None,
) -> LimitGroup | None:
    """Create a child cgroup with ``limits``, or ``None`` if this machine allows none."""
    try:
        mounts = parse_mountinfo(mountinfo or Path("/proc/self/mountinfo").read_text())
        paths = parse_proc_cgroup(proc_cgroup or Path("/proc/self/cgroup").read_text())
    except OSError:
        return None
    reasons: list[str] = []
    for mount in (m for m in mounts if m.version == 2 and "" in paths):
        parent = cgroup_dir(mount, paths[""])
        if parent is None:
            continue
        try:
            return _make_v2(parent, name, limits)
        except OSError as exc:
            reasons.append(f"v2: {exc}")
    dirs: dict[str, Path] = {}
    for mount in (m for m in mounts if m.version == 1):
        for controller in ("memory", "pids", "cpu"):
            if controller in mount.controllers and controller in paths:
                found = cgroup_dir(mount, paths[controller])
                if found is not None:
                    dirs[controller] = found
    if "memory" in dirs and "pids" in dirs:
        try:
            return _make_v1(dirs, name, limits)
        except OSError as exc:
            reasons.append(f"v1: {exc}")
    log.debug("no cgroup for the sandbox; using rlimits", reasons=reasons)
    return None
