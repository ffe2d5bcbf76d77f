"""``run_sandboxed``: run one untrusted command, confined, limited and with a hard deadline.

The process chain is ``[cgroup join] → prlimit → timeout -s KILL → bwrap|docker → argv``,
started in a new session. ``timeout`` is the first deadline; ours (a little later) kills
the whole process group. With bwrap's pid namespace, killing its pid 1 ends every
descendant, detached ones included; the cgroup, when there is one, is emptied too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import anyio
from anyio.abc import Process

from atp_core.errors import SandboxError
from atp_core.protocol import SandboxOptions
from atp_core.sandbox._bwrap import SANDBOX_TMP, bwrap_argv
from atp_core.sandbox._cgroup import CgroupLimits, LimitGroup, make_limit_group
from atp_core.sandbox._container import container_argv, remove_container
from atp_core.sandbox._probe import resolve_mode
from atp_core.sandbox._result import CappedOutput, SandboxResult, killed_reason, shell_exit_code

# Our own deadline trails `timeout`'s so that the normal path is the kernel's SIGKILL.
_DEADLINE_GRACE = 2.0
# After the process ends, how long its pipes may stay open (held by a stray child).
_PIPE_GRACE = 1.0
_JOIN_FAILED = "atp-sandbox: cannot join the run's cgroup"
_JOIN_SCRIPT = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do '
    f'echo $$ > "$1" || {{ echo "{_JOIN_FAILED}" >&2; exit 125; }}; shift; n=$((n-1)); done; '
    'exec "$@"'
)


def sandbox_env(extra: Mapping[str, str] | None, *, mode: str) -> dict[str, str]:
    """The whole environment of the sandboxed command: never ATP's own (it may hold secrets)."""
    env = {
        "LANG": "C.UTF-8",
        "HOME": SANDBOX_TMP,
        "TMPDIR": SANDBOX_TMP,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if mode != "container":
        env["PATH"] = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
    env.update(extra or {})
    return env


def _rlimits(options: SandboxOptions, group: LimitGroup | None) -> list[str]:
    cpu = options.cpu_seconds
    args = ["prlimit", f"--cpu={cpu}:{cpu + 1}", "--core=0"]
    if group is None:
        args += [f"--as={options.memory_mb * 1024 * 1024}", f"--nproc={options.max_processes}"]
    return [*args, "--"]


def _command(
    argv: Sequence[str], workspace: Path, mode: str, name: str, options: SandboxOptions,
    env: Mapping[str, str], group: LimitGroup | None, timeout: float,
) -> list[str]:
    if mode == "bwrap":
        inner = bwrap_argv(argv, workspace)
    elif mode == "container":
        inner = container_argv(
            argv, workspace, name=name, options=options, env=env, image=options.container_image
        )
    else:
        inner = list(argv)
    command = [*_rlimits(options, group), "timeout", "-s", "KILL", f"{timeout:.3f}", *inner]
    if group is None:
        return command
    joins = [str(p) for p in group.procs_files]
    return ["sh", "-c", _JOIN_SCRIPT, "atp-cgroup-join", str(len(joins)), *joins, *command]


async def _kill_group(process: Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with anyio.CancelScope(shield=True):
        await process.wait()


async def _supervise(
    process: Process, timeout: float, out: CappedOutput, err: CappedOutput
) -> tuple[int, bool]:
    """Wait for ``process`` within the deadline; return its exit code and whether we killed it."""
    async with anyio.create_task_group() as tg:
        tg.start_soon(out.drain, process.stdout)
        tg.start_soon(err.drain, process.stderr)
        try:
            with anyio.move_on_after(timeout + _DEADLINE_GRACE) as deadline:
                await process.wait()
        finally:
            # Cancelled or late: the process group goes, whatever happens to us.
            if process.returncode is None:
                await _kill_group(process)
        with anyio.move_on_after(_PIPE_GRACE):
            await out.done.wait()
            await err.done.wait()
        tg.cancel_scope.cancel()
    assert process.returncode is not None
    return process.returncode, deadline.cancelled_caught


async def _start(command: list[str], workspace: Path, env: Mapping[str, str]) -> Process:
    try:
        return await anyio.open_process(
            command, stdin=subprocess.DEVNULL, cwd=workspace, env=env, start_new_session=True
        )
    except OSError as exc:
        raise SandboxError(f"cannot start the sandbox ({command[0]}): {exc}") from exc


def _checked_workspace(workspace: Path) -> Path:
    resolved = workspace.resolve()
    if not resolved.is_dir():
        raise SandboxError(f"workspace {workspace} is not a directory")
    return resolved


async def run_sandboxed(
    argv: Sequence[str],
    *,
    workspace: Path,
    options: SandboxOptions,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> SandboxResult:
    """Run ``argv`` inside ``workspace`` under the sandbox ``options`` choose.

    Args:
        argv: The command and its arguments; run without a shell.
        workspace: The directory the command runs in: its only writable place.
        options: Sandbox mode and limits. Mode ``none`` (no confinement) runs only when
            chosen explicitly.
        timeout: Wall-clock seconds before the command and all its children are killed.
        env: Extra environment variables; ATP's own environment is never passed on.

    Raises:
        SandboxError: No sandbox of the requested mode can run here, or the workspace
            is not a directory, or ``timeout`` is not positive.
    """
    if not argv:
        raise SandboxError("nothing to run: the command is empty")
    if timeout <= 0:
        raise SandboxError(f"timeout must be more than 0 seconds, got {timeout}")
    workspace = _checked_workspace(workspace)
    mode = await resolve_mode(options)
    name = f"atp-sandbox-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    limits = CgroupLimits(
        memory_bytes=options.memory_mb * 1024 * 1024, max_processes=options.max_processes
    )
    group = None if mode == "container" else make_limit_group(name, limits)
    full_env = sandbox_env(env, mode=mode)
    command = _command(argv, workspace, mode, name, options, full_env, group, timeout)
    out, err = CappedOutput(), CappedOutput()
    started = time.monotonic()
    try:
        process = await _start(command, workspace, full_env)
        try:
            returncode, we_killed = await _supervise(process, timeout, out, err)
        finally:
            with anyio.CancelScope(shield=True):
                await process.aclose()
    finally:
        with anyio.CancelScope(shield=True):
            if mode == "container":
                await remove_container(name)
            oom = group is not None and group.oom_killed()
            if group is not None:
                await group.close()
    elapsed = time.monotonic() - started
    code = shell_exit_code(returncode)
    if code == 125 and err.text().startswith(_JOIN_FAILED):
        raise SandboxError(f"{_JOIN_FAILED}: {err.text().strip()}")
    timed_out = we_killed or (code in (124, 128 + signal.SIGKILL) and elapsed >= timeout)
    return SandboxResult(
        exit_code=code,
        stdout=out.text(),
        stderr=err.text(),
        stdout_truncated=out.truncated,
        stderr_truncated=err.truncated,
        timed_out=timed_out,
        killed_reason=killed_reason(code, timed_out=timed_out, oom_killed=oom),
        mode=mode,
        limits=group.kind if group is not None else "rlimit",
        duration_seconds=elapsed,
    )
