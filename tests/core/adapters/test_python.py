"""The python adapter calling agents in this process."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import pytest

from atp_core.adapters._python import PythonAdapter
from atp_core.adapters._registry import build_config, create_adapter
from atp_core.agents import builtin_spec
from atp_core.errors import (
    AgentCrashed,
    AgentProtocolError,
    AgentTimeout,
    AgentUnreachable,
    ConfigError,
)
from atp_core.protocol import StructuredArtifact

if TYPE_CHECKING:
    from conftest import RecordingSink, RequestFactory

MODULE = "atp_test_inprocess_agents"
SOURCE = textwrap.dedent(
    """
    import time
    import anyio
    from atp_core.protocol import Event, Response

    def sync_dict(request, greeting="hi"):
        return {"task_id": request.task_id, "status": "completed", "error": greeting}

    async def async_response(request):
        return Response(task_id=request.task_id, status="partial")

    def sync_generator(request):
        yield {"event_type": "progress", "payload": {"percentage": 50}}
        yield {"task_id": request.task_id, "status": "completed"}

    async def async_generator(request):
        yield Event(task_id=request.task_id, event_type="reasoning", timestamp="t", sequence=0)
        yield {"event_type": "progress", "payload": {}}
        yield Response(task_id=request.task_id, status="completed")

    async def no_response(request):
        yield {"event_type": "progress", "payload": {}}

    def raises(request):
        raise ValueError("model exploded")

    def returns_number(request):
        return 42

    def extra_fields(request):
        return {"task_id": request.task_id, "status": "completed", "mood": "ok"}

    def version_two(request):
        return {"version": "2.0", "task_id": request.task_id, "status": "completed"}

    def sleeps(request):
        time.sleep(1.5)
        return {"task_id": request.task_id, "status": "completed"}

    class AsyncCallable:
        async def __call__(self, request):
            return {"task_id": request.task_id, "status": "cancelled"}

    async_instance = AsyncCallable()

    not_callable = 3
    """
)


@pytest.fixture(scope="module", autouse=True)
def agents_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Put a module of in-process test agents on sys.path."""
    root = tmp_path_factory.mktemp("inprocess")
    (root / f"{MODULE}.py").write_text(SOURCE)
    sys.path.insert(0, str(root))
    yield
    sys.path.remove(str(root))
    sys.modules.pop(MODULE, None)


def adapter(function: str, **config: object) -> PythonAdapter:
    """A python adapter calling ``function`` of the test-agents module."""
    return PythonAdapter(build_config("python", {"target": f"{MODULE}:{function}", **config}))


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("function", "status", "events"),
    [
        ("sync_dict", "completed", []),
        ("async_response", "partial", []),
        ("sync_generator", "completed", ["progress"]),
        ("async_generator", "completed", ["reasoning", "progress"]),
        ("async_instance", "cancelled", []),
    ],
)
async def test_every_callable_shape_is_supported(
    make_request: RequestFactory, sink: RecordingSink, function: str, status: str, events: list[str]
) -> None:
    """Sync or async, returning or yielding: each gives its events and response."""
    response = await adapter(function).execute(make_request("x"), sink)
    assert response.status == status
    assert [e.event_type for e in sink.events] == events
    assert [e.sequence for e in sink.events] == list(range(len(events)))


@pytest.mark.anyio
async def test_kwargs_are_passed(make_request: RequestFactory, sink: RecordingSink) -> None:
    """Configured kwargs reach the callable."""
    response = await adapter("sync_dict", kwargs={"greeting": "hello"}).execute(
        make_request("x"), sink
    )
    assert response.error == "hello"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("name", "description", "check"),
    [
        ("echo", "say hi", "echo"),
        ("calculator", "What is 7 * 6?", "answer"),
    ],
)
async def test_builtin_agents_in_process(
    make_request: RequestFactory, sink: RecordingSink, name: str, description: str, check: str
) -> None:
    """Built-in agents run in-process through atp_core.agents.entry:run."""
    async with create_adapter(builtin_spec(name)) as python:
        response = await python.execute(make_request(description), sink)
    artifact = response.artifacts[0]
    assert isinstance(artifact, StructuredArtifact)
    assert artifact.name == check


@pytest.mark.anyio
async def test_file_ops_in_process_writes_the_workspace(
    make_request: RequestFactory, sink: RecordingSink, workspace: Path
) -> None:
    """file-ops writes input_data.files into the workspace in-process too."""
    request = make_request("write them", workspace, input_data={"files": {"a.md": "# A"}})
    async with create_adapter(builtin_spec("file-ops")) as python:
        response = await python.execute(request, sink)
    assert response.status == "completed"
    assert (workspace / "a.md").read_text() == "# A"
    assert sink.events[-1].payload["status"] == "success"


@pytest.mark.anyio
async def test_exception_is_a_crash(make_request: RequestFactory, sink: RecordingSink) -> None:
    """An exception from the callable becomes AgentCrashed with its text."""
    with pytest.raises(AgentCrashed, match="ValueError: model exploded"):
        await adapter("raises").execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_builtin_crash_and_garbage_in_process(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """The crash agent raises (AgentCrashed); the garbage agent yields a string (protocol error)."""
    with pytest.raises(AgentCrashed, match="crashed on purpose"):
        await create_adapter(builtin_spec("crash")).execute(make_request("x"), sink)
    with pytest.raises(AgentProtocolError, match="yielded str"):
        await create_adapter(builtin_spec("garbage")).execute(make_request("x"), sink)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("returns_number", "returned int"),
        ("no_response", "ended without yielding a response"),
        ("version_two", r"2\.0 is not supported"),
    ],
)
async def test_non_responses_are_protocol_errors(
    make_request: RequestFactory, sink: RecordingSink, function: str, message: str
) -> None:
    """Whatever is not an ATP response is refused."""
    with pytest.raises(AgentProtocolError, match=message):
        await adapter(function).execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_unknown_fields_become_warnings(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """Unknown fields of a returned dict are counted as warnings."""
    await adapter("extra_fields").execute(make_request("x"), sink)
    assert sink.warnings == ["unknown field $.mood ignored"]


@pytest.mark.anyio
async def test_unloadable_targets_are_unreachable(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """A missing module, attribute or a non-callable target cannot be used."""
    for target in ("atp_no_such_module:f", f"{MODULE}:missing", f"{MODULE}:not_callable"):
        python = PythonAdapter(build_config("python", {"target": target}))
        with pytest.raises(AgentUnreachable):
            await python.execute(make_request("x"), sink)


def test_target_must_name_a_function() -> None:
    """A target without ':function' is a config error."""
    with pytest.raises(ConfigError):
        build_config("python", {"target": "just_a_module"})


@pytest.mark.anyio
async def test_hanging_async_agent_times_out(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """The built-in hang agent ends in AgentTimeout at the adapter's deadline."""
    spec = builtin_spec("hang", options={"timeout_seconds": 0.2})
    with pytest.raises(AgentTimeout, match="did not answer"):
        await create_adapter(spec).execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_blocking_sync_agent_is_abandoned_at_the_deadline(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """A sync agent stuck in its thread does not hold the run past its deadline."""
    with anyio.fail_after(1.2):
        with pytest.raises(AgentTimeout):
            await adapter("sleeps", timeout_seconds=0.2).execute(make_request("x"), sink)
