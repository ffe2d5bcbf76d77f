"""The span export process: spans leave through a child process, whose death never stops a run."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest

from atp_core.observability import (
    Redactor,
    TracingSink,
    _export_process,
    configure_logging,
    setup_tracing,
)
from atp_core.observability._otel import AtpTracerProvider
from atp_core.protocol import Request
from atp_core.testing import Reply

from .conftest import SECRET, OtlpReceiver, known_script, run_known

pytestmark = pytest.mark.anyio

SPANS_OF_KNOWN_SUITE = 1 + 2 + 3 + 2 * 5 + 3


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """JSON logs at INFO into a buffer, put back to a quiet default afterwards."""
    out = io.StringIO()
    configure_logging(level="INFO", fmt="json", stream=out)
    yield out
    configure_logging(level="WARNING", fmt="json", stream=io.StringIO())


def _warnings(out: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return [line for line in lines if line["level"] == "warning"]


def _provider(otlp: OtlpReceiver) -> AtpTracerProvider:
    env = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint}
    provider = setup_tracing(env)
    assert isinstance(provider, AtpTracerProvider)
    return provider


def _kill(pid: int) -> None:
    """SIGKILL the process and wait until all its threads are gone (its pipes closed)."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not _dead(pid):
        assert time.monotonic() < deadline, "the process did not die"
        time.sleep(0.01)


def _gone_within(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` has exited and been reaped within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False


def _dead(pid: int) -> bool:
    # A zombie thread-group leader may still share its files with threads that are exiting.
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state == "Z" and len(os.listdir(f"/proc/{pid}/task")) <= 1


async def test_spans_are_built_and_exported_by_a_child_process(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """An OTLP provider owns a child process; after shutdown it has exited, every span arrived."""
    provider = _provider(otlp)
    process = provider.export_process
    assert process is not None
    assert process.pid != os.getpid()
    await run_known(tmp_path, [TracingSink(provider, redactor=Redactor([SECRET]))])
    provider.shutdown()
    assert len(otlp.spans) == SPANS_OF_KNOWN_SUITE
    assert _gone_within(process.pid, seconds=5.0)


async def test_force_flush_waits_until_the_spans_sent_so_far_are_exported(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """force_flush returns only once the receiver holds every span; the process stays up."""
    provider = _provider(otlp)
    await run_known(tmp_path, [TracingSink(provider)])
    assert provider.force_flush()
    assert len(otlp.spans) == SPANS_OF_KNOWN_SUITE
    assert provider.export_process is not None
    os.kill(provider.export_process.pid, 0)  # still running
    provider.shutdown()


async def test_a_finished_tests_spans_arrive_while_later_tests_still_run(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """Tests held back to go together still leave within ~50 ms, not at the suite's end."""
    provider = _provider(otlp)

    def script(request: Request) -> Reply:
        if request.metadata["test_id"] == "broken":
            return Reply(delay=3.0)
        return known_script(request)

    def chat_arrived() -> bool:
        return any(
            span.name == "test" and span.attributes.get("atp.test.id") == "chat"
            for span in otlp.spans
        )

    seen_during_run = False
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: run_known(tmp_path, [TracingSink(provider)], script=script))
        for _ in range(250):
            if chat_arrived():
                seen_during_run = True
                break
            await anyio.sleep(0.01)
    provider.shutdown()
    assert seen_during_run
    assert len(otlp.spans) == SPANS_OF_KNOWN_SUITE


async def test_a_dead_export_process_never_stops_the_suite_and_is_logged(
    tmp_path: Path, otlp: OtlpReceiver, log_lines: io.StringIO
) -> None:
    """The child killed during the first run: the suite still finishes and one warning says so."""
    provider = _provider(otlp)
    process = provider.export_process
    assert process is not None

    def script(request: Request) -> Reply:
        if request.metadata["run_number"] == 1 and request.metadata["test_id"] == "chat":
            _kill(process.pid)
        return known_script(request)

    result, _ = await run_known(tmp_path, [TracingSink(provider)], script=script)
    provider.shutdown()
    assert result.status == "completed"
    assert [t.test_id for t in result.tests] == ["chat", "broken"]
    (warning,) = _warnings(log_lines)
    assert "span export process died" in warning["event"]
    assert warning["exit_code"] == -signal.SIGKILL
    assert not provider.force_flush()


async def test_without_a_child_process_spans_are_exported_from_this_process(
    tmp_path: Path,
    otlp: OtlpReceiver,
    log_lines: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the child cannot start, a warning is logged and the span tree still arrives."""
    monkeypatch.setattr(_export_process, "CHILD", "atp_core.observability._no_such_module")
    provider = _provider(otlp)
    assert provider.export_process is None
    await run_known(tmp_path, [TracingSink(provider)])
    provider.shutdown()
    assert len(otlp.spans) == SPANS_OF_KNOWN_SUITE
    (warning,) = _warnings(log_lines)
    assert "did not start" in warning["event"]
    assert "No module named" in warning["output"]


async def test_export_failures_in_the_child_are_logged_at_shutdown(
    tmp_path: Path, log_lines: io.StringIO
) -> None:
    """With no receiver listening, the suite still finishes and shutdown logs the child's errors."""
    env = {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9",  # nothing listens there
        "OTEL_EXPORTER_OTLP_TIMEOUT": "1",
    }
    provider = setup_tracing(env)
    assert isinstance(provider, AtpTracerProvider)
    assert provider.export_process is not None
    result, _ = await run_known(tmp_path, [TracingSink(provider)])
    provider.shutdown()
    assert result.status == "completed"
    (warning,) = _warnings(log_lines)
    assert warning["event"] == "the span export process reported problems"
    assert "Failed to export" in warning["output"]
    assert "span export request(s) failed; their spans are lost" in warning["output"]


ROW = ("t1", "T", "passed", "ok", 1, 1, 1.0, ())
ODD_ROW = ("t1", "T", "passed", "ok", 1, 1, 1.0, (("odd", Decimal("1.5")),))


@pytest.mark.parametrize(
    ("message", "codec"),
    [
        (("test", "run-1", ROW, 17), b"M"),
        (("batch", [("set", "run-1", {"atp.runs.total": 3, "ok": True, "x": None})]), b"M"),
        (("test", "run-1", ODD_ROW, 1), b"P"),
    ],
)
def test_messages_cross_the_pipe_whole_whatever_they_hold(message: Any, codec: bytes) -> None:
    """Plain rows go marshalled; an odd value an agent reported makes the message a pickle."""
    from atp_core.observability._export_child import _read

    data = _export_process.frame(message)
    assert data[4:5] == codec
    stream = io.BytesIO(data + _export_process.frame(("end", "run-1", 9, None)))
    assert _read(stream) == message
    assert _read(stream) == ("end", "run-1", 9, None)
    assert _read(stream) is None


def test_the_redactor_crosses_the_pipe_as_a_pickle() -> None:
    from atp_core.observability._export_child import _read

    data = _export_process.frame(("start", "run-1", {}, 5, Redactor([SECRET])))
    assert data[4:5] == b"P"
    redactor = _read(io.BytesIO(data))[4]
    assert SECRET not in redactor.text(f"key={SECRET}")


def test_the_export_process_keeps_off_the_cpu_its_parent_started_it_from(
    otlp: OtlpReceiver,
) -> None:
    """With two or more CPUs allowed, the child (and its threads) may use all but the one
    the parent ran on when it started the child; with one, it is left alone."""
    allowed = os.sched_getaffinity(0)
    provider = _provider(otlp)
    process = provider.export_process
    assert process is not None
    try:
        child = os.sched_getaffinity(process.pid)
        if len(allowed) > 1:
            assert len(child) == len(allowed) - 1
            assert child < allowed
        else:
            assert child == allowed
    finally:
        provider.shutdown()


def test_keeping_off_a_cpu_never_leaves_a_process_none() -> None:
    """In a process of its own: off one of two or more CPUs; on a single CPU, unchanged."""
    code = (
        "import os\n"
        "from atp_core.observability._export_child import _keep_off\n"
        "mine = sorted(os.sched_getaffinity(0))\n"
        "_keep_off(mine[0])\n"
        "after = os.sched_getaffinity(0)\n"
        "assert after == (set(mine[1:]) or set(mine)), after\n"
        "os.sched_setaffinity(0, {mine[-1]})\n"
        "_keep_off(mine[-1])\n"
        "assert os.sched_getaffinity(0) == {mine[-1]}\n"
        "_keep_off(None)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
