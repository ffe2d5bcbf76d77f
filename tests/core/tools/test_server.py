"""The tools endpoint: listing, calls, errors, isolation between runs, and the runner hook."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import attrs
import httpx
import pytest

from atp_core.protocol import (
    Adapter,
    AgentSpec,
    Event,
    EventSink,
    Request,
    Response,
    StructuredArtifact,
    ToolsSpec,
)
from atp_core.runner import RunOptions, run_suite
from atp_core.suite import load_suite_text
from atp_core.tools import open_tool_server

pytestmark = pytest.mark.anyio


@attrs.define
class Events:
    """Collects what the server reports."""

    events: list[Event] = attrs.Factory(list)

    def event(self, event: Event) -> None:
        self.events.append(event)

    def warning(self, message: str) -> None:
        raise AssertionError(message)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A suite directory with a corpus and a files root."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "paris.md").write_text("# Paris\nParis is the capital of France.\n")
    (corpus / "rome.md").write_text("# Rome\nRome is the capital of Italy. Rome has ruins.\n")
    files = tmp_path / "data"
    (files / "sub").mkdir(parents=True)
    (files / "sub" / "notes.txt").write_text("remember the milk")
    (tmp_path / "secret.txt").write_text("outside")
    return tmp_path


def _spec(data: Path) -> ToolsSpec:
    suite = load_suite_text(
        "test_suite: s\ntools: {search: {documents: corpus}, files: {root: data}}\n"
        "tests: [{id: t, name: t, task: {description: d}}]\n", "s.yaml", data, env={})
    assert suite.tools is not None
    return suite.tools


async def test_listing_describes_every_tool_with_its_input_schema(data: Path) -> None:
    """GET on the endpoint lists search, read_document, read_file and list_files."""
    async with (
        open_tool_server(_spec(data)) as server,
        server.serve("t-1", Events()) as url,
        httpx.AsyncClient() as client,
    ):
        listing = (await client.get(url)).json()
    names = [t["name"] for t in listing["tools"]]
    assert names == ["search", "read_document", "read_file", "list_files"]
    assert listing["tools"][0]["input_schema"]["required"] == ["query"]


async def test_calls_return_outputs_and_are_recorded_as_tool_call_events(data: Path) -> None:
    """search ranks the matching document first; each call becomes a tool_call event."""
    sink = Events()
    async with (
        open_tool_server(_spec(data)) as server,
        server.serve("t-1", sink) as url,
        httpx.AsyncClient() as client,
    ):
        found = (await client.post(f"{url}/tools/search", json={"query": "capital Italy"}))
        text = await client.post(f"{url}/tools/read_file", json={"path": "sub/notes.txt"})
    assert found.json()["output"][0]["path"] == "rome.md"
    assert text.json()["output"]["content"] == "remember the milk"
    assert [e.payload["tool"] for e in sink.events] == ["search", "read_file"]
    assert [e.sequence for e in sink.events] == [0, 1]
    first = sink.events[0]
    assert first.task_id == "t-1"
    assert first.event_type == "tool_call"
    assert first.payload["status"] == "success"
    assert first.payload["input"] == {"query": "capital Italy"}


async def test_escaping_the_files_root_is_refused_and_recorded_as_an_error(data: Path) -> None:
    """read_file of ../secret.txt answers 400 and records a tool_call with status error."""
    sink = Events()
    async with (
        open_tool_server(_spec(data)) as server,
        server.serve("t-1", sink) as url,
        httpx.AsyncClient() as client,
    ):
        reply = await client.post(f"{url}/tools/read_file", json={"path": "../secret.txt"})
    assert reply.status_code == 400
    assert "outside the served files" in reply.json()["error"]
    assert sink.events[0].payload["status"] == "error"
    assert sink.events[0].payload["output"] is None


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 400, "not JSON"),
        (b'{"query": 3}', 400, "must be a str"),
        (b'{"query": "x", "extra": 1}', 400, "unknown input keys: extra"),
        (b"{}", 400, "missing input key 'query'"),
    ],
)
async def test_bad_inputs_are_answered_with_the_reason(
    data: Path, body: bytes, status: int, message: str
) -> None:
    """Invalid JSON or input that does not fit the tool's schema is a 400 saying why."""
    async with (
        open_tool_server(_spec(data)) as server,
        server.serve("t-1", Events()) as url,
        httpx.AsyncClient() as client,
    ):
        reply = await client.post(f"{url}/tools/search", content=body)
    assert reply.status_code == status
    assert message in reply.json()["error"]


async def test_unknown_tool_and_finished_run_are_not_found(data: Path) -> None:
    """An unknown tool is 404; a run's endpoint stops answering when the run ends."""
    async with open_tool_server(_spec(data)) as server:
        async with server.serve("t-1", Events()) as url, httpx.AsyncClient() as client:
            unknown = await client.post(f"{url}/tools/delete_everything", json={})
        async with httpx.AsyncClient() as client:
            gone = await client.get(url)
    assert unknown.status_code == 404
    assert gone.status_code == 404


async def test_suite_rejects_a_missing_tools_directory(tmp_path: Path) -> None:
    """A tools directory that does not exist is a located suite problem."""
    from atp_core.errors import SuiteError

    with pytest.raises(SuiteError, match=r"s.yaml:2:.*no such directory: 'nope'"):
        load_suite_text("test_suite: s\ntools: {search: {documents: nope}}\n"
                        "tests: [{id: t, name: t, task: {description: d}}]\n",
                        "s.yaml", tmp_path, env={})


class SearchingAgent(Adapter):
    """An agent under test: searches the endpoint and answers with the best path."""

    config_type: ClassVar[type[Any]] = dict

    async def execute(self, request: Request, sink: EventSink) -> Response:
        endpoint = request.context.tools_endpoint if request.context else None
        assert endpoint is not None
        async with httpx.AsyncClient() as client:
            reply = await client.post(f"{endpoint}/tools/search", json={"query": "France"})
        best = reply.json()["output"][0]["path"]
        return Response(task_id=request.task_id, status="completed",
                        artifacts=[StructuredArtifact(name="answer", data={"path": best})])


async def test_runner_serves_tools_and_records_calls_in_the_run(data: Path) -> None:
    """With RunOptions(tools=...), the agent gets an endpoint and its calls land in the run."""
    suite = load_suite_text(
        "test_suite: s\ntools: {search: {documents: corpus}}\n"
        "tests: [{id: t, name: t, task: {description: d}, assertions: "
        "[{type: must_use_tools, config: {tools: [search]}}]}]\n", "s.yaml", data, env={})
    assert suite.tools is not None
    async with open_tool_server(suite.tools) as tools:
        options = RunOptions(tools=tools, adapter_factory=lambda spec: SearchingAgent())
        result = await run_suite(suite, AgentSpec(name="a", type="python"), options)
    run = result.tests[0].runs[0]
    assert run.verdict == "passed", run.checks
    assert [e.payload["tool"] for e in run.events] == ["search"]
    assert run.artifacts[0].data == {"path": "paris.md"}  # type: ignore[union-attr]
    assert run.events[0].payload["source"] == "tools_endpoint"
