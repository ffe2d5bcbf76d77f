"""Serving built-in agents: stdio, HTTP and the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from atp_core.agents import AgentHTTPServer, make_http_server, run_stdio
from atp_core.errors import ConfigError
from atp_core.protocol import parse_response, unstructure

if TYPE_CHECKING:
    from conftest import RequestFactory


def stdio(name: str, payload: bytes, **params: object) -> tuple[int, bytes, bytes]:
    """Run ``run_stdio`` on in-memory pipes: (exit code, stdout, stderr)."""
    out, err = io.BytesIO(), io.BytesIO()
    code = run_stdio(name, params, stdin=io.BytesIO(payload), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_stdio_writes_events_to_stderr_and_the_response_to_stdout(
    make_request: RequestFactory,
) -> None:
    """Events are JSON lines on stderr; stdout holds exactly one response document."""
    request = make_request("What is 1 + 1?")
    code, out, err = stdio("calculator", json.dumps(unstructure(request)).encode())
    assert code == 0
    response, warnings = parse_response(json.loads(out))
    assert (response.status, warnings) == ("completed", [])
    assert [json.loads(line)["event_type"] for line in err.splitlines()] == [
        "reasoning",
        "tool_call",
        "reasoning",
    ]


def test_stdio_crash_leaves_half_a_document_and_exit_code_3(make_request: RequestFactory) -> None:
    """The crash agent writes half a JSON response and exits with code 3."""
    code, out, _ = stdio("crash", json.dumps(unstructure(make_request("x"))).encode())
    assert code == 3
    assert out.startswith(b'{"version": "1.0"')
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        json.loads(out)


def test_stdio_refuses_an_invalid_request() -> None:
    """A request that is not ATP gets exit code 2 and a reason on stderr."""
    code, out, err = stdio("echo", b'{"task": {}}')
    assert (code, out) == (2, b"")
    assert err.startswith(b"invalid request")


def test_module_command_line_lists_and_runs_agents(make_request: RequestFactory) -> None:
    """`python -m atp_core.agents` lists the agents and answers over stdio."""
    listed = subprocess.run(
        [sys.executable, "-m", "atp_core.agents", "list"], capture_output=True, check=True
    )
    assert b"html-injector" in listed.stdout
    payload = json.dumps(unstructure(make_request("hi"))).encode()
    answered = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-m",
            "atp_core.agents",
            "stdio",
            "flaky",
            "--param",
            "failure_rate=0",
        ],
        input=payload,
        capture_output=True,
        check=True,
    )
    assert json.loads(answered.stdout)["status"] == "completed"
    refused = subprocess.run(
        [sys.executable, "-m", "atp_core.agents", "stdio", "echo", "--param", "nope=1"],
        input=payload,
        capture_output=True,
    )
    assert refused.returncode == 2
    assert b"no parameter nope" in refused.stderr


@pytest.fixture
def server() -> Iterator[AgentHTTPServer]:
    """The echo agent served over HTTP on 127.0.0.1."""
    with make_http_server("echo") as srv:
        thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        yield srv
        srv.shutdown()
        thread.join(timeout=5)


def test_http_health_and_unknown_paths(server: AgentHTTPServer) -> None:
    """GET /health answers 200; other paths 404."""
    assert httpx.get(server.url + "health").json() == {"status": "ok", "agent": "echo"}
    assert httpx.get(server.url + "other").status_code == 404


def test_http_refuses_an_invalid_request(server: AgentHTTPServer) -> None:
    """A POST that is not an ATP request gets 400 with the reason."""
    reply = httpx.post(server.url, content=b'{"version": "2.0", "task_id": "a", "task": {}}')
    assert reply.status_code == 400
    assert "2.0 is not supported" in reply.json()["error"]


def test_http_server_refuses_unknown_modes() -> None:
    """Only json, sse and ndjson reply modes exist."""
    with pytest.raises(ConfigError, match="unknown mode"):
        make_http_server("echo", mode="xml")
