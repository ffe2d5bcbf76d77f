"""The bubblewrap command line: what the sandbox sees, and nothing more.

Inside, the code runs as uid/gid 65534 with no capabilities, in fresh user, pid, net,
ipc, uts and cgroup namespaces. It sees the system read-only (``/usr`` and the few
``/etc`` files programs need, never ``/etc/shadow``), the Python installation(s)
read-only, a private ``/proc``, a minimal ``/dev``, a private tmpfs ``/tmp``, and the
workspace — the only writable bind — at its own path, which is also the working
directory. The network namespace has only a loopback device that is down.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

NOBODY = "65534"
# Inside the sandbox /tmp is a private tmpfs, not the host's /tmp.
SANDBOX_TMP = "/tmp"  # noqa: S108

BWRAP_FLAGS: tuple[str, ...] = (
    "--unshare-all",
    "--unshare-user",
    "--uid", NOBODY,
    "--gid", NOBODY,
    "--cap-drop", "ALL",
    "--die-with-parent",
    "--new-session",
    "--hostname", "sandbox",
)

# Files under /etc that ordinary programs read; everything else there stays hidden.
ETC_ENTRIES: tuple[str, ...] = (
    "alternatives",
    "group",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "passwd",
    "python3",
    "python3.11",
    "python3.12",
    "python3.13",
)

TOP_LEVEL_LINKS: tuple[str, ...] = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


def _covered(path: Path, bound: Iterable[Path]) -> bool:
    return any(path == b or b in path.parents for b in bound)


def python_roots() -> list[Path]:
    """The directories the running interpreter and its environment need, outermost first."""
    candidates = [
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        Path(sys.executable).resolve().parent.parent,
    ]
    roots: list[Path] = []
    for candidate in sorted({c.resolve() for c in candidates} | set(candidates), key=_depth):
        if candidate.is_dir() and not _covered(candidate, [Path("/usr"), *roots]):
            roots.append(candidate)
    return roots


def _depth(path: Path) -> int:
    return len(path.parts)


def system_binds(extra_ro: Sequence[Path] = ()) -> list[str]:
    """Read-only binds of the system, the Python installation(s) and ``extra_ro``."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in TOP_LEVEL_LINKS:
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", str(path.readlink()), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    for name in ETC_ENTRIES:
        entry = Path("/etc") / name
        if entry.exists():
            args += ["--ro-bind", str(entry), str(entry)]
    bound = [Path("/usr")]
    for root in [*python_roots(), *(p.resolve() for p in extra_ro)]:
        if root.exists() and not _covered(root, bound) and not _under_tmp(root):
            args += ["--ro-bind", str(root), str(root)]
            bound.append(root)
    return args


def _under_tmp(path: Path) -> bool:
    return _covered(path, [Path(SANDBOX_TMP)])


def tmp_binds(extra_ro: Sequence[Path] = ()) -> list[str]:
    """Read-only binds for what lives under /tmp (a venv or tool in a checkout there).

    They must come after the private tmpfs on /tmp, which would hide them otherwise.
    """
    args: list[str] = []
    bound: list[Path] = []
    for root in [*python_roots(), *(p.resolve() for p in extra_ro)]:
        if root.exists() and _under_tmp(root) and not _covered(root, bound):
            args += ["--ro-bind", str(root), str(root)]
            bound.append(root)
    return args


def bwrap_argv(
    argv: Sequence[str],
    workspace: Path,
    *,
    bwrap: str = "bwrap",
    extra_ro: Sequence[Path] = (),
) -> list[str]:
    """The full ``bwrap`` command that runs ``argv`` confined to ``workspace``."""
    ws = str(workspace)
    return [
        bwrap,
        *BWRAP_FLAGS,
        *system_binds(extra_ro),
        "--proc", "/proc",
        "--dev", "/dev",
        "--tmpfs", SANDBOX_TMP,
        *tmp_binds(extra_ro),
        "--bind", ws, ws,
        "--chdir", ws,
        "--",
        *argv,
    ]
