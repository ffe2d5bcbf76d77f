"""``SpanExportProcess``: the parent's end of the child process that builds and exports spans.

Planning spans and encoding them as OTLP protobuf costs ~35 µs of CPU per run of five
spans, and in a thread it would hold the interpreter lock the runs need. So
``TracingSink`` sends plain rows (``_rows``) down a pipe to a child process
(``_export_child``) that plans the spans, encodes them (``_otlp``) and exports them through
the SDK's ``OTLPSpanExporter`` (``_otlp_send``).

The child keeps off the CPU the parent was running on when it started (where the
scheduler allows it): left free to move, its two threads were now and then woken onto the
parent's CPU while the other one sat idle, and the suite run waited for them.

The pipe is written without blocking: what does not fit waits in memory and goes with the
next message, or at ``force_flush``/``shutdown``, which write everything and wait until the
child has exported it; after ``shutdown`` the child exits (a reaper thread collects it).
``send(..., hold=True)`` lets messages go in groups. A child that dies never stops the
suite run: its spans are lost, and a warning with its exit code and the end of its
error output (redacted) is logged once.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from typing import IO, Any

import structlog

from atp_core.observability._redact import Redactor

log = structlog.get_logger("atp_core.observability")

CHILD = "atp_core.observability._export_child"
READY, FLUSHED, DONE = b"ready", b"flushed", b"done"
HOLD = 32  # messages sent together at most (see ``send``)
_PIPE_SIZE = 1 << 20  # room for ~2,000 runs of rows before the parent keeps any in memory
_ERROR_TAIL = 2_000


def frame(message: object) -> bytes:
    """One message as it travels down the pipe: a 4-byte length, a codec byte, the data.

    Rows are plain tuples of strings and numbers, which ``marshal`` writes in about half
    the instructions ``pickle`` takes (no memo of every tuple); a message holding anything
    else (the redactor, an odd value an agent reported) goes as a pickle.
    """
    try:
        data = b"M" + marshal.dumps(message)  # type: ignore[arg-type]  # checked by marshal
    except ValueError:  # "unmarshallable object"
        data = b"P" + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(4, "big") + data


def current_cpu() -> int | None:
    """The CPU this thread is running on (Linux), else ``None``."""
    try:
        with open("/proc/thread-self/stat", "rb") as stat:
            # Field 39, counted after the command name, which may hold spaces and parentheses.
            return int(stat.read().rsplit(b")", 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return None


class SpanExportProcess:
    """A running span export process; start it with ``SpanExportProcess.start``."""

    def __init__(self, child: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self._child = child
        self._errors = errors
        assert child.stdin is not None
        assert child.stdout is not None
        self._in, self._out = child.stdin.fileno(), child.stdout.fileno()
        self._pending = bytearray()
        self._held: list[object] = []
        self._acks = bytearray()
        self._flushes = 0
        self._dead = False
        self._closed = False
        self._starting = True

    @classmethod
    def start(
        cls, config: Mapping[str, Any], env: Mapping[str, str], timeout: float = 30.0
    ) -> SpanExportProcess | None:
        """Start the child and wait until its exporter is ready; ``None`` if it fails."""
        # Kept open for the child's life and closed by shutdown().
        errors = tempfile.TemporaryFile()  # noqa: SIM115
        child = subprocess.Popen(
            [sys.executable, "-m", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=dict(env),
        )
        process = cls(child, errors)
        with contextlib.suppress(OSError):
            import fcntl

            fcntl.fcntl(process._in, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        config = {**config, "parent_cpu": current_cpu()}
        ready = process._write_all(frame(config), timeout) and process._await(READY, timeout)
        if not ready:
            process.shutdown(timeout=1.0)
            return None
        os.set_blocking(process._in, False)
        process._starting = False
        return process

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._child.pid

    def send(self, message: object, *, hold: bool = False) -> bool:
        """Queue one message for the child; never blocks.

        With ``hold`` the message may wait, with up to ``HOLD - 1`` others, to go as one
        (one ``frame``, one write) at the ``HOLD``-th, at ``release``, or before the next
        message sent without ``hold``. Returns whether it is the first one held: the
        caller then arranges a ``release`` soon.
        """
        if self._dead or self._closed:
            return False
        if hold:
            self._held.append(message)
            if len(self._held) < HOLD:
                return len(self._held) == 1
            message, self._held = ("batch", self._held), []
        elif self._held:
            self.release()
        self._queue(message)
        return False

    def release(self) -> None:
        """Send the messages held back, if any."""
        if self._held and not (self._dead or self._closed):
            held, self._held = self._held, []
            self._queue(("batch", held))

    def _queue(self, message: object) -> None:
        try:
            data = frame(message)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("spans not exported: a record could not be encoded", error=repr(exc))
            return
        if self._pending:
            self._pending += data
        else:
            self._pending = bytearray(data)
        self._drain()

    def _drain(self) -> None:
        while self._pending:
            try:
                written = os.write(self._in, self._pending)
            except BlockingIOError:
                return
            except OSError:
                self._gone("the span export process died")
                return
            del self._pending[:written]

    def force_flush(self, timeout: float = 30.0) -> bool:
        """Wait until the child has exported everything sent so far."""
        if self._dead or self._closed:
            return False
        self._flushes += 1
        self.send(("flush", self._flushes))
        data, self._pending = bytes(self._pending), bytearray()
        token = FLUSHED + b" %d" % self._flushes
        return self._write_all(data, timeout) and self._await(token, timeout)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Flush, close the pipe, wait for the child to exit, report how it ended."""
        if self._closed:
            return
        deadline = time.monotonic() + timeout
        if not self._dead:
            self.release()
            self._write_all(bytes(self._pending), timeout)
        self._closed = True
        self._pending.clear()
        with contextlib.suppress(OSError):
            self._child.stdin.close()  # type: ignore[union-attr]
        if not self._dead and self._await(DONE, max(0.0, deadline - time.monotonic())):
            # Everything is exported and the child exits with 0 right after saying so; its
            # exit (~3 ms to unmap the SDK) is awaited by a reaper, not by the suite run.
            threading.Thread(target=self._child.wait, name="atp-span-reaper", daemon=True).start()
            code = 0
        else:
            try:
                code = self._child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._child.kill()
                code = self._child.wait()
                self._gone("the span export process did not finish in time and was killed")
        if code != 0:
            self._gone("the span export process failed")
        elif tail := self._error_tail():
            log.warning("the span export process reported problems", output=tail)
        with contextlib.suppress(OSError):
            self._child.stdout.close()  # type: ignore[union-attr]
        self._errors.close()

    def _write_all(self, data: bytes, timeout: float) -> bool:
        view, deadline = memoryview(data), time.monotonic() + timeout
        while view and not self._dead:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self._in], [], left)[1]:
                self._gone("the span export process stopped reading")
                return False
            try:
                view = view[os.write(self._in, view) :]
            except BlockingIOError:
                continue
            except OSError:
                self._gone("the span export process died")
        return not self._dead

    def _await(self, token: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while token + b"\n" not in self._acks:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._out], [], [], left)[0]:
                self._gone("the span export process did not answer")
                return False
            chunk = os.read(self._out, 4096)
            if not chunk:
                self._gone("the span export process died")
                return False
            self._acks += chunk
        del self._acks[: self._acks.index(token + b"\n") + len(token) + 1]
        return True

    def _gone(self, what: str) -> None:
        if self._dead:
            return
        self._dead = True
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._child.wait(0.5)  # a dying child's exit code and last words, if it has them
        if self._starting:
            what = "the span export process did not start; spans are exported in-process"
        else:
            what += "; spans not yet exported are lost"
        log.warning(
            what, pid=self._child.pid, exit_code=self._child.poll(), output=self._error_tail()
        )

    def _error_tail(self) -> str:
        with contextlib.suppress(OSError, ValueError):
            self._errors.seek(0, os.SEEK_END)
            size = self._errors.tell()
            self._errors.seek(max(0, size - _ERROR_TAIL))
            return Redactor().text(self._errors.read().decode("utf-8", "replace").strip())
        return ""
