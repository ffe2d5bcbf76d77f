"""The cli adapter against real subprocesses."""

from __future__ import annotations

import os
import sys
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import attrs
import psutil
import pytest

from atp_core.adapters._cli import CliAdapter
from atp_core.adapters._registry import build_config, create_adapter
from atp_core.agents import builtin_spec
from atp_core.errors import AgentCrashed, AgentProtocolError, AgentTimeout, AgentUnreachable
from atp_core.protocol import Context, FileArtifact, StructuredArtifact

if TYPE_CHECKING:
    from conftest import RecordingSink, RequestFactory

READ = "import json, os, sys\nreq = json.load(sys.stdin)\n"
ANSWER = (
    "def answer(**extra):\n"
    "    print(json.dumps({'task_id': req['task_id'], 'status': 'completed', **extra}))\n"
)


def scripted(code: str, **config: Any) -> CliAdapter:
    """A cli adapter running ``python -c code`` (the code has ``req`` and ``answer``)."""
    args = ["-c", READ + ANSWER + code]
    return CliAdapter(build_config("cli", {"command": sys.executable, "args": args, **config}))


def builtin(name: str, **options: Any) -> CliAdapter:
    """A cli adapter running built-in agent ``name`` via ``python -m atp_core.agents``."""
    params = options.pop("params", {})
    adapter = create_adapter(builtin_spec(name, "cli", options=options, **params))
    assert isinstance(adapter, CliAdapter)
    return adapter


def alive(process: psutil.Process) -> bool:
    """Whether ``process`` still runs (a zombie awaiting its reaper does not)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def survivors(processes: list[psutil.Process]) -> list[int]:
    """The pids still alive once SIGKILL has had up to 3 s to land (delivery is asynchronous)."""
    for _ in range(60):
        if not any(alive(p) for p in processes):
            break
        await anyio.sleep(0.05)
    return [p.pid for p in processes if alive(p)]


async def wait_for_descendants(count: int, before: set[int]) -> list[psutil.Process]:
    """The new descendants of this process, once there are at least ``count`` of them."""
    with anyio.fail_after(10):
        while True:
            new = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
            if len(new) >= count:
                return new
            await anyio.sleep(0.05)


@pytest.mark.anyio
async def test_echo_over_stdio(make_request: RequestFactory, sink: RecordingSink) -> None:
    """The response is the JSON document the agent writes to stdout."""
    async with builtin("echo") as cli:
        response = await cli.execute(make_request("say hi"), sink)
    assert response.status == "completed"
    assert response.artifacts[1] == FileArtifact(
        path="echo.txt",
        content="say hi",
        content_type="text/plain",
        size_bytes=6,
        content_hash="sha256:" + __import__("hashlib").sha256(b"say hi").hexdigest(),
    )


@pytest.mark.anyio
async def test_file_ops_writes_in_the_workspace_and_streams_events(
    make_request: RequestFactory, sink: RecordingSink, workspace: Path
) -> None:
    """Events arrive as JSON lines on stderr; files land in the run's workspace."""
    request = make_request("create notes/a.txt with content 'one'", workspace)
    async with builtin("file-ops") as cli:
        response = await cli.execute(request, sink)
    assert (workspace / "notes" / "a.txt").read_text() == "one"
    assert [e.payload.get("tool") for e in sink.events] == [None, "write_file"]
    assert response.metrics.tool_calls == 1


@pytest.mark.anyio
async def test_calculator_over_stdio(make_request: RequestFactory, sink: RecordingSink) -> None:
    """The calculator's structured answer survives the stdio round trip."""
    async with builtin("calculator") as cli:
        response = await cli.execute(make_request("What is 2 ** 10 - 24?"), sink)
    assert response.artifacts[0] == StructuredArtifact(name="answer", data={"answer": 1000})
    assert [e.event_type for e in sink.events] == ["reasoning", "tool_call", "reasoning"]


@pytest.mark.anyio
async def test_hang_times_out_and_kills_the_whole_process_group(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """At the deadline the agent and every child it started are killed."""
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    found: list[psutil.Process] = []

    async def watch() -> None:
        found.extend(await wait_for_descendants(3, before))

    hang = builtin("hang", timeout_seconds=2.5, params={"children": 2})
    async with hang as cli, anyio.create_task_group() as tg:
        tg.start_soon(watch)
        with pytest.raises(AgentTimeout, match=r"within 2\.5 s"):
            await cli.execute(make_request("x"), sink)
    assert len(found) == 3
    assert await survivors(found) == []
    assert [e.event_type for e in sink.events] == ["progress"]


@pytest.mark.anyio
async def test_cancelling_the_caller_kills_the_whole_process_group(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """A cancelled run (anyio.fail_after in the caller) leaves no process behind."""
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    found: list[psutil.Process] = []
    async with builtin("hang", params={"children": 1}) as cli, anyio.create_task_group() as tg:
        tg.start_soon(cli.execute, make_request("x"), sink)
        found.extend(await wait_for_descendants(2, before))
        tg.cancel_scope.cancel()
    assert len(found) == 2
    assert await survivors(found) == []


@pytest.mark.anyio
async def test_crash_is_reported_with_exit_code(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """The crash agent's half JSON and exit code 3 make an AgentCrashed."""
    async with builtin("crash") as cli:
        with pytest.raises(AgentCrashed, match="exited with code 3"):
            await cli.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_crash_message_carries_the_stderr_tail(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """Plain stderr lines are kept for the error message of a crash."""
    code = "sys.stderr.write('Traceback: boom\\n')\nsys.exit(1)"
    async with scripted(code) as cli:
        with pytest.raises(AgentCrashed, match=r"exited with code 1.*Traceback: boom"):
            await cli.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_garbage_stdout_is_a_protocol_error(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """Non-JSON stdout with exit code 0 is not an ATP response."""
    async with builtin("garbage") as cli:
        with pytest.raises(AgentProtocolError, match="not a JSON response"):
            await cli.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_flood_is_cut_off_with_bounded_memory(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """50 MB on stdout stops at max_output_bytes; the agent is killed, memory stays small."""
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    tracemalloc.start()
    try:
        async with builtin("flood", max_output_bytes=1_000_000) as cli:
            with pytest.raises(AgentProtocolError, match="stdout too large"):
                await cli.execute(make_request("x"), sink)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert await survivors(left) == []


@pytest.mark.anyio
async def test_missing_command_is_unreachable(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """A command that does not exist cannot be started."""
    cli = CliAdapter(build_config("cli", {"command": "atp-no-such-agent-command"}))
    with pytest.raises(AgentUnreachable, match="cannot start"):
        await cli.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_environment_is_allow_listed(
    make_request: RequestFactory,
    sink: RecordingSink,
    monkeypatch: pytest.MonkeyPatch,
    workspace: Path,
) -> None:
    """Only allow-listed parent variables pass, then config, then the request's context."""
    monkeypatch.setenv("ATP_TEST_PARENT_SECRET", "hidden")
    code = "answer(artifacts=[{'type': 'structured', 'name': 'env', 'data': dict(os.environ)}])"
    request = attrs.evolve(
        make_request("x"),
        context=Context(workspace_path=str(workspace), environment={"B": "context", "C": "c"}),
    )
    async with scripted(code, environment={"A": "config", "B": "config"}) as cli:
        response = await cli.execute(request, sink)
    env = response.artifacts[0].data  # type: ignore[union-attr]
    assert "ATP_TEST_PARENT_SECRET" not in env
    assert env["PATH"] == os.environ["PATH"]
    assert (env["A"], env["B"], env["C"]) == ("config", "context", "c")


@pytest.mark.anyio
async def test_inherit_environment_passes_everything(
    make_request: RequestFactory, sink: RecordingSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """inherit_environment: true hands the whole parent environment to the agent."""
    monkeypatch.setenv("ATP_TEST_PARENT_VALUE", "seen")
    code = "answer(artifacts=[{'type': 'structured', 'name': 'env', 'data': dict(os.environ)}])"
    async with scripted(code, inherit_environment=True) as cli:
        response = await cli.execute(make_request("x"), sink)
    assert response.artifacts[0].data["ATP_TEST_PARENT_VALUE"] == "seen"  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_cwd_is_the_workspace_or_a_temporary_directory(
    make_request: RequestFactory, sink: RecordingSink, workspace: Path
) -> None:
    """The agent runs in the run's workspace, or a fresh temp dir, never the caller's cwd."""
    code = "answer(artifacts=[{'type': 'reference', 'path': os.getcwd()}])"
    async with scripted(code) as cli:
        in_workspace = await cli.execute(make_request("x", workspace), sink)
        elsewhere = await cli.execute(make_request("x"), sink)
    assert in_workspace.artifacts[0].path == str(workspace)  # type: ignore[union-attr]
    temp = elsewhere.artifacts[0].path  # type: ignore[union-attr]
    assert temp != os.getcwd()
    assert Path(temp).name.startswith("atp-cli-")
    assert not await anyio.Path(temp).exists()


@pytest.mark.anyio
async def test_unknown_fields_become_warnings(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """Unknown response fields and malformed stderr events are counted as warnings."""
    code = "sys.stderr.write(json.dumps({'event_type': 'dance'}) + '\\n')\nanswer(mood='happy')"
    async with scripted(code) as cli:
        response = await cli.execute(make_request("x"), sink)
    assert response.status == "completed"
    assert sink.warnings[0].startswith("malformed event")
    assert sink.warnings[1] == "unknown field $.mood ignored"


@pytest.mark.anyio
async def test_version_2_is_rejected(make_request: RequestFactory, sink: RecordingSink) -> None:
    """A response speaking protocol 2.0 is refused."""
    async with scripted("answer(version='2.0')") as cli:
        with pytest.raises(AgentProtocolError, match=r"2\.0 is not supported"):
            await cli.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_stray_lines_before_the_response_are_tolerated(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """A response on the last stdout line is used; the lines before it become a warning."""
    async with scripted("print('loading model...')\nanswer()") as cli:
        response = await cli.execute(make_request("x"), sink)
    assert response.status == "completed"
    assert sink.warnings == ["ignored 1 non-JSON line(s) on stdout before the response"]


@pytest.mark.anyio
async def test_non_zero_exit_after_a_response_is_a_warning(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """A valid response wins over the exit code, which is noted as a warning."""
    async with scripted("answer()\nsys.stdout.flush()\nos._exit(4)") as cli:
        response = await cli.execute(make_request("x"), sink)
    assert response.status == "completed"
    name = Path(sys.executable).name
    assert sink.warnings == [f"agent {name!r} exited with code 4 after a valid response"]


@pytest.mark.anyio
async def test_agent_that_ignores_a_large_request_still_answers(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """An agent that never reads stdin does not break the run, however large the request."""
    code = 'print(\'{"task_id": "t-1-run-1", "status": "completed"}\')'
    cli = CliAdapter(build_config("cli", {"command": sys.executable, "args": ["-c", code]}))
    request = make_request("x", input_data={"blob": "y" * 2_000_000})
    response = await cli.execute(request, sink)
    assert response.status == "completed"
