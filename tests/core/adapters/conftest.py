"""Helpers for adapter tests: a recording sink, requests, and real HTTP servers in threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs
import pytest

from atp_core.agents import make_http_server
from atp_core.protocol import Context, Event, Request, Task


@attrs.define
class RecordingSink:
    """Keeps every event and warning an adapter reports."""

    events: list[Event] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)

    def event(self, event: Event) -> None:
        self.events.append(event)

    def warning(self, message: str) -> None:
        self.warnings.append(message)


@pytest.fixture
def sink() -> RecordingSink:
    """A fresh recording sink."""
    return RecordingSink()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace directory for one run."""
    path = tmp_path / "workspace"
    path.mkdir()
    return path


def build_request(description: str, workspace: Path | None = None, **task: Any) -> Request:
    """A request for one run of test ``t-1``."""
    context = Context(workspace_path=str(workspace)) if workspace else None
    return Request(
        task_id="t-1-run-1",
        task=Task(description=description, **task),
        context=context,
        metadata={"test_id": "t-1", "test_name": "one", "run_number": 1, "total_runs": 1},
    )


RequestFactory = Callable[..., Request]


@pytest.fixture
def make_request() -> RequestFactory:
    """Builds requests: ``make_request(description, workspace=None, **task_fields)``."""
    return build_request


def serve_in_thread(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve ``server`` in a daemon thread while the caller runs; yield its base URL."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


AgentServer = Callable[..., str]


@pytest.fixture
def agent_server() -> Iterator[AgentServer]:
    """Start built-in agents over HTTP on 127.0.0.1 (port 0); returns their endpoints."""
    running: list[Iterator[str]] = []

    def start(name: str, mode: str = "json", **params: Any) -> str:
        serving = serve_in_thread(make_http_server(name, "127.0.0.1", 0, params, mode))
        running.append(serving)
        return next(serving)

    yield start
    for serving in running:
        next(serving, None)


@attrs.frozen
class Scripted:
    """A canned HTTP reply."""

    status: int = 200
    content_type: str = "application/json"
    body: bytes = b""


ScriptedServer = Callable[..., str]


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    """Start HTTP servers answering every request with ``Scripted(**fields)``; ``$AUTH`` in
    the body is replaced by the request's Authorization header."""
    running: list[Iterator[str]] = []

    def start(**fields: Any) -> str:
        reply = Scripted(**fields)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def _reply(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                body = reply.body.replace(b"$AUTH", self.headers.get("authorization", "").encode())
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _reply
            do_POST = _reply

        serving = serve_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        running.append(serving)
        return next(serving)

    yield start
    for serving in running:
        next(serving, None)
