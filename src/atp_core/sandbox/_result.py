"""What a sandboxed run produced, and the capped capture of its output."""

from __future__ import annotations

import signal

import anyio
import attrs
from anyio.abc import ByteReceiveStream

OUTPUT_CAP_BYTES = 1024 * 1024


@attrs.frozen(kw_only=True)
class SandboxResult:
    """The outcome of one command run in the sandbox.

    ``exit_code`` follows the shell's convention: a process ended by signal N reports
    ``128 + N``. ``killed_reason`` says why ATP or the kernel stopped it: ``"timeout"``
    (wall deadline), ``"memory"`` (memory limit), ``"cpu"`` (CPU-time limit) or
    ``"signal N"``; ``None`` when it exited by itself.
    """

    exit_code: int
    stdout: str
    stderr: str
    mode: str
    limits: str
    duration_seconds: float
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    timed_out: bool = False
    killed_reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the command exited by itself with status 0."""
        return self.exit_code == 0 and self.killed_reason is None


@attrs.define
class CappedOutput:
    """Keeps the first ``cap`` bytes of a stream and drains the rest."""

    cap: int = OUTPUT_CAP_BYTES
    data: bytearray = attrs.Factory(bytearray)
    truncated: bool = False
    done: anyio.Event = attrs.Factory(anyio.Event)

    async def drain(self, stream: ByteReceiveStream | None) -> None:
        """Read ``stream`` to its end, keeping at most ``cap`` bytes."""
        try:
            if stream is not None:
                async for chunk in stream:
                    room = self.cap - len(self.data)
                    if len(chunk) > room:
                        self.truncated = True
                    self.data += chunk[: max(room, 0)]
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            pass
        finally:
            self.done.set()

    def text(self) -> str:
        """The kept bytes as text (invalid UTF-8 replaced)."""
        return self.data.decode("utf-8", errors="replace")


def killed_reason(exit_code: int, *, timed_out: bool, oom_killed: bool) -> str | None:
    """Why a run ended the way it did, from its shell-style exit code and what we saw."""
    if timed_out:
        return "timeout"
    if oom_killed:
        return "memory"
    if exit_code == 128 + signal.SIGXCPU:
        return "cpu"
    if exit_code > 128 and exit_code - 128 in {s.value for s in signal.Signals}:
        return f"signal {exit_code - 128}"
    return None


def shell_exit_code(returncode: int) -> int:
    """Python's negative ``returncode`` for a signal as the shell's ``128 + N``."""
    return 128 - returncode if returncode < 0 else returncode
