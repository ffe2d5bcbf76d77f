"""Child processes of the ``cli`` adapter: environment, output collection, group kill."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
from collections.abc import Mapping, Sequence

import anyio
import attrs
from anyio.abc import ByteReceiveStream, ByteSendStream, Process

from atp_core.adapters._messages import MessageStream
from atp_core.adapters._streams import ByteBudget, LineSplitter
from atp_core.errors import AgentProtocolError

DEFAULT_ALLOWED_ENV: tuple[str, ...] = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "PYTHONPATH",
    "SYSTEMROOT",
)
STDERR_TAIL_LINES = 20
STDERR_LINE_CHARS = 500


def child_environment(
    parent: Mapping[str, str],
    allowed: Sequence[str] | None,
    *layers: Mapping[str, str] | None,
) -> dict[str, str]:
    """The child's environment: the allowed parent variables (all if ``allowed`` is None),
    then each layer on top."""
    env = dict(parent) if allowed is None else {k: parent[k] for k in allowed if k in parent}
    for layer in layers:
        env.update(layer or {})
    return env


def kill_group(pid: int) -> None:
    """SIGKILL the whole process group led by ``pid`` (the agent and every child it left)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def exit_description(code: int) -> str:
    """``exited with code 3`` or ``was killed by signal SIGKILL``."""
    if code < 0:
        try:
            return f"was killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


async def feed_stdin(stdin: ByteSendStream, payload: bytes) -> None:
    """Write the request and close stdin; an agent that stops reading early is no error here."""
    try:
        async with stdin:
            await stdin.send(payload)
    except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
        pass


@attrs.define
class StdoutCollector:
    """Keeps stdout up to the byte budget; past it, records the error and stops the run."""

    budget: ByteBudget
    data: bytearray = attrs.Factory(bytearray)
    error: AgentProtocolError | None = None

    async def collect(self, stream: ByteReceiveStream, scope: anyio.CancelScope) -> None:
        """Read ``stream`` to its end, or cancel ``scope`` when the agent floods it."""
        async for chunk in stream:
            try:
                self.budget.spend(len(chunk))
            except AgentProtocolError as exc:
                self.error = exc
                scope.cancel()
                return
            self.data += chunk


@attrs.define
class StderrCollector:
    """Turns JSON lines on stderr into events and keeps the tail of everything else."""

    messages: MessageStream
    budget: ByteBudget
    tail: collections.deque[str] = attrs.Factory(
        lambda: collections.deque(maxlen=STDERR_TAIL_LINES)
    )
    error: AgentProtocolError | None = None

    async def collect(self, stream: ByteReceiveStream, scope: anyio.CancelScope) -> None:
        """Read ``stream`` to its end, or cancel ``scope`` when the agent floods it."""
        splitter = LineSplitter()
        async for chunk in stream:
            try:
                self.budget.spend(len(chunk))
            except AgentProtocolError as exc:
                self.error = exc
                scope.cancel()
                return
            for line in splitter.feed(chunk):
                self._line(line)
        for line in splitter.finish():
            self._line(line)

    def text(self) -> str:
        """The kept stderr lines, for an error message."""
        return " | ".join(self.tail)

    def _line(self, line: str) -> None:
        stripped = line.strip()
        if stripped.startswith("{"):
            try:
                data = json.loads(stripped)
            except ValueError:
                pass
            else:
                self.messages.event(data)
                return
        if stripped:
            self.tail.append(stripped[:STDERR_LINE_CHARS])


async def stop_process(process: Process) -> None:
    """Kill the process group, reap the agent and close its pipes; safe to call twice."""
    kill_group(process.pid)
    await process.wait()
    await process.aclose()
