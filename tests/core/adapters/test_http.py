"""The http adapter against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import pytest

from atp_core.adapters._http import HttpAdapter, HttpConfig
from atp_core.adapters._registry import build_config, create_adapter
from atp_core.agents import builtin_spec
from atp_core.errors import (
    AgentCrashed,
    AgentProtocolError,
    AgentTimeout,
    AgentUnreachable,
    ConfigError,
)
from atp_core.protocol import FileArtifact, StructuredArtifact

if TYPE_CHECKING:
    from conftest import AgentServer, RecordingSink, RequestFactory, ScriptedServer

RESPONSE = {"version": "1.0", "task_id": "t-1-run-1", "status": "completed", "artifacts": []}


def adapter(endpoint: str, **config: object) -> HttpAdapter:
    """An http adapter built the way suites build it."""
    return HttpAdapter(build_config("http", {"endpoint": endpoint, **config}))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.anyio
async def test_echo_answers_with_the_description(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink
) -> None:
    """A JSON reply is the response, with its artifacts."""
    spec = builtin_spec("echo", "http", endpoint=agent_server("echo"))
    async with create_adapter(spec) as http:
        response = await http.execute(make_request("say hi"), sink)
    assert response.status == "completed"
    assert response.artifacts[0] == StructuredArtifact(
        name="echo", data={"description": "say hi", "input_data": None}
    )
    assert sink.warnings == []


@pytest.mark.anyio
async def test_file_ops_writes_into_the_workspace_over_sse(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink, workspace: Path
) -> None:
    """An event stream delivers each tool_call event before the response."""
    request = make_request("create hello.txt with content Hello", workspace)
    async with adapter(agent_server("file-ops", mode="sse")) as http:
        response = await http.execute(request, sink)
    assert (workspace / "hello.txt").read_text() == "Hello"
    assert [e.event_type for e in sink.events] == ["reasoning", "tool_call"]
    assert sink.events[1].payload["tool"] == "write_file"
    assert [a.path for a in response.artifacts if isinstance(a, FileArtifact)] == ["hello.txt"]


@pytest.mark.anyio
async def test_calculator_streams_ndjson(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink
) -> None:
    """NDJSON lines are events until the line that is the response."""
    async with adapter(agent_server("calculator", mode="ndjson")) as http:
        response = await http.execute(make_request("What is 6 * 7?"), sink)
    assert response.artifacts[0] == StructuredArtifact(name="answer", data={"answer": 42})
    assert [e.event_type for e in sink.events] == ["reasoning", "tool_call", "reasoning"]
    assert [e.sequence for e in sink.events] == [0, 1, 2]


@pytest.mark.anyio
async def test_non_2xx_is_unreachable_with_the_status(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """A 503 reply is an infrastructure failure naming the status code."""
    url = scripted_server(status=503, body=b"overloaded")
    async with adapter(url) as http:
        with pytest.raises(AgentUnreachable, match="HTTP 503"):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_header_values_never_appear_in_errors(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """A server that echoes the Authorization header does not leak it into the error."""
    url = scripted_server(status=401, body=b"bad credentials: $AUTH")
    async with adapter(url, headers={"Authorization": "Bearer s3cret-token"}) as http:
        with pytest.raises(AgentUnreachable) as info:
            await http.execute(make_request("x"), sink)
    assert "s3cret-token" not in str(info.value)
    assert "bad credentials" in str(info.value)
    assert "s3cret-token" not in repr(http.config)


@pytest.mark.anyio
async def test_connection_refused_is_unreachable(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """Nothing listening on the port is an infrastructure failure."""
    async with adapter(f"http://127.0.0.1:{free_port()}/") as http:
        with pytest.raises(AgentUnreachable, match="cannot connect"):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_bad_json_is_a_protocol_error(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """A JSON reply that does not parse is not an ATP response."""
    async with adapter(scripted_server(body=b"{not json")) as http:
        with pytest.raises(AgentProtocolError, match="not valid JSON"):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/event-stream", b'event: progress\ndata: {"payload": {"message": "m"}}\n\n'),
        ("application/x-ndjson", b'{"event_type": "progress", "payload": {}}\n'),
    ],
)
async def test_stream_without_response_is_a_protocol_error(
    make_request: RequestFactory,
    scripted_server: ScriptedServer,
    sink: RecordingSink,
    content_type: str,
    body: bytes,
) -> None:
    """A stream that ends before its response is refused, after keeping its events."""
    async with adapter(scripted_server(content_type=content_type, body=body)) as http:
        with pytest.raises(AgentProtocolError, match="ended without a response"):
            await http.execute(make_request("x"), sink)
    assert [e.event_type for e in sink.events] == ["progress"]


@pytest.mark.anyio
async def test_unknown_fields_become_warnings(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """Unknown fields are dropped from the response and counted as warnings."""
    body = json.dumps({**RESPONSE, "mood": "happy", "metrics": {"joules": 3}}).encode()
    async with adapter(scripted_server(body=body)) as http:
        response = await http.execute(make_request("x"), sink)
    assert response.status == "completed"
    assert sorted(sink.warnings) == [
        "unknown field $.metrics.joules ignored",
        "unknown field $.mood ignored",
    ]


@pytest.mark.anyio
async def test_malformed_sse_event_is_a_warning(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """An event that is not JSON is kept as a warning and the stream goes on."""
    body = (
        b"event: progress\ndata: {oops\n\nevent: response\ndata: " + json.dumps(RESPONSE).encode()
    )
    url = scripted_server(content_type="text/event-stream", body=body)
    async with adapter(url) as http:
        response = await http.execute(make_request("x"), sink)
    assert response.status == "completed"
    assert len(sink.warnings) == 1
    assert sink.warnings[0].startswith("malformed event")


@pytest.mark.anyio
async def test_version_2_is_rejected(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """A response speaking protocol 2.0 is refused with a clear error."""
    body = json.dumps({**RESPONSE, "version": "2.0"}).encode()
    async with adapter(scripted_server(body=body)) as http:
        with pytest.raises(AgentProtocolError, match=r"2\.0 is not supported"):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["json", "sse"])
async def test_flood_is_refused_as_too_large_with_bounded_memory(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink, mode: str
) -> None:
    """A 50 MB reply stops at max_response_bytes, without holding the rest in memory."""
    async with adapter(agent_server("flood", mode=mode), max_response_bytes=1_000_000) as http:
        tracemalloc.start()
        try:
            with pytest.raises(AgentProtocolError, match="too large"):
                await http.execute(make_request("x"), sink)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 8_000_000


@pytest.mark.anyio
async def test_announced_oversize_body_is_refused(
    make_request: RequestFactory, scripted_server: ScriptedServer, sink: RecordingSink
) -> None:
    """A Content-Length above the limit is refused before reading the body."""
    url = scripted_server(body=json.dumps(RESPONSE).encode())
    async with adapter(url, max_response_bytes=10) as http:
        with pytest.raises(AgentProtocolError, match="too large"):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["json", "ndjson"])
async def test_crash_mid_reply_is_a_crash(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink, mode: str
) -> None:
    """A connection dropped before the promised body ends is a crashed agent."""
    async with adapter(agent_server("crash", mode=mode)) as http:
        with pytest.raises(AgentCrashed, match="closed the connection"):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["json", "sse", "ndjson"])
async def test_garbage_is_a_protocol_error(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink, mode: str
) -> None:
    """A reply that is not JSON is refused in every reply mode."""
    async with adapter(agent_server("garbage", mode=mode)) as http:
        with pytest.raises(AgentProtocolError):
            await http.execute(make_request("x"), sink)


@pytest.mark.anyio
async def test_hang_times_out(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink
) -> None:
    """An agent that never answers ends in AgentTimeout at the adapter's deadline."""
    async with adapter(agent_server("hang", mode="sse"), timeout_seconds=0.5) as http:
        with pytest.raises(AgentTimeout, match=r"within 0\.5 s"):
            await http.execute(make_request("x"), sink)
    assert [e.event_type for e in sink.events] == ["progress"]


@pytest.mark.anyio
async def test_request_timeout_constraint_tightens_the_deadline(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink
) -> None:
    """The request's constraints.timeout_seconds wins over a longer adapter timeout."""
    import attrs

    from atp_core.protocol import Constraints

    request = attrs.evolve(make_request("x"), constraints=Constraints(timeout_seconds=0.3))
    async with adapter(agent_server("hang")) as http:
        with pytest.raises(AgentTimeout, match=r"within 0\.3 s"):
            await http.execute(request, sink)


@pytest.mark.anyio
async def test_health_checks_the_health_endpoint(
    agent_server: AgentServer, scripted_server: ScriptedServer
) -> None:
    """health() passes on 200 and raises AgentUnreachable otherwise."""
    async with adapter(agent_server("echo"), health_endpoint="/health") as http:
        await http.health()
    async with adapter(scripted_server(status=500), health_endpoint="/health") as http:
        with pytest.raises(AgentUnreachable, match="HTTP 500"):
            await http.health()
    async with adapter(f"http://127.0.0.1:{free_port()}/", health_endpoint="/health") as http:
        with pytest.raises(AgentUnreachable, match="health check"):
            await http.health()


def test_config_rejects_unknown_keys_and_bad_values() -> None:
    """Config errors name the problem: unknown key, non-HTTP endpoint, non-positive timeout."""
    with pytest.raises(ConfigError, match="extra fields"):
        build_config("http", {"endpoint": "http://x/", "endpoit": "y"})
    with pytest.raises(ConfigError, match="invalid config"):
        build_config("http", {"endpoint": "ftp://x/"})
    with pytest.raises(ConfigError, match="invalid config"):
        build_config("http", {"endpoint": "http://x/", "timeout_seconds": 0})
    assert isinstance(build_config("http", {"endpoint": "http://x/"}), HttpConfig)


@pytest.mark.anyio
async def test_cancellation_ends_the_exchange(
    make_request: RequestFactory, agent_server: AgentServer, sink: RecordingSink
) -> None:
    """A caller's deadline cancels a hanging request promptly (cancellation safety)."""
    async with adapter(agent_server("hang")) as http:
        with anyio.move_on_after(0.3) as scope:
            await http.execute(make_request("x"), sink)
    assert scope.cancelled_caught


@pytest.mark.anyio
async def test_cookies_set_in_one_run_are_not_sent_in_the_next(
    make_request: RequestFactory, sink: RecordingSink
) -> None:
    """Runs are independent: the adapter keeps no cookie jar between requests."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.core.adapters.conftest import serve_in_thread

    seen: list[str | None] = []
    body = json.dumps(RESPONSE).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            seen.append(self.headers.get("cookie"))
            self.send_response(200)
            self.send_header("Set-Cookie", "session=run-one; Path=/")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    serving = serve_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    # A host name: a cookie jar ignores cookies of bare IP addresses anyway.
    endpoint = next(serving).replace("127.0.0.1", "localhost")
    try:
        async with adapter(endpoint) as http:
            for _ in range(2):
                await http.execute(make_request("x"), sink)
    finally:
        next(serving, None)
    assert seen == [None, None]


def test_header_names_and_values_that_cannot_travel_are_config_errors() -> None:
    """A CR/LF in a value (header injection), a bad name or a non-Latin-1 value is refused
    when the suite is loaded, without showing the value."""
    for headers in (
        {"X-Token": "abc\r\nX-Evil: 1"},
        {"Bad Name": "x"},
        {"X-Token": "snowman \u2603 secret-value"},
    ):
        with pytest.raises(ConfigError, match="header") as caught:
            build_config("http", {"endpoint": "http://x/", "headers": headers})
        assert "secret-value" not in str(caught.value)
        assert "abc" not in str(caught.value)
    config = build_config("http", {"endpoint": "http://x/", "headers": {"X-Name": "caf\u00e9"}})
    assert isinstance(config, HttpConfig)
