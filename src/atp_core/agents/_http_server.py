"""Serve a built-in agent over HTTP with the standard library (no web framework in atp_core).

``POST /`` takes a request; ``GET /health`` answers 200. ``mode`` picks the reply: ``json``
(the response only), ``sse`` (``event: <type>`` + ``data: <json>``, ending with ``event:
response``) or ``ndjson`` (one message a line). Streams use chunked transfer encoding, so a
crash mid-reply is visible to the client as an incomplete body.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio

from atp_core.agents._catalog import resolve_agent
from atp_core.agents._core import AgentInfo, Crash, Flood, Garbage
from atp_core.agents._stdio import CHUNK, half_response
from atp_core.errors import AtpError, ConfigError
from atp_core.protocol import Event, Request, Response, parse_request, unstructure

MODES = ("json", "sse", "ndjson")
MAX_REQUEST_BYTES = 10 * 1024 * 1024
_CONTENT_TYPES = {
    "json": "application/json",
    "sse": "text/event-stream",
    "ndjson": "application/x-ndjson",
}


class AgentHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one built-in agent and its parameters."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], info: AgentInfo, params: dict[str, Any], mode: str
    ) -> None:
        self.info = info
        self.params = params
        self.mode = mode
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The endpoint to POST requests to."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


def make_http_server(
    name: str,
    host: str = "127.0.0.1",
    port: int = 0,
    params: Mapping[str, Any] | None = None,
    mode: str = "json",
) -> AgentHTTPServer:
    """A bound, not yet serving, HTTP server for built-in agent ``name`` (port 0: any free)."""
    if mode not in MODES:
        raise ConfigError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    info, full = resolve_agent(name, params)
    return AgentHTTPServer((host, port), info, full, mode)


def serve_http(
    name: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    params: Mapping[str, Any] | None = None,
    mode: str = "json",
) -> None:
    """Serve built-in agent ``name`` until interrupted."""
    with make_http_server(name, host, port, params, mode) as server:
        server.serve_forever()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: AgentHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: an agent's stderr is not the place for access logs."""

    def do_GET(self) -> None:
        if self.path.partition("?")[0] == "/health":
            self._send_json(200, {"status": "ok", "agent": self.server.info.name})
        else:
            self._send_json(404, {"error": f"no such path {self.path!r}"})

    def do_POST(self) -> None:
        self.close_connection = True
        try:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_REQUEST_BYTES:
                raise ValueError(f"request larger than {MAX_REQUEST_BYTES} bytes")
            request = parse_request(json.loads(self.rfile.read(length)))
        except (ValueError, AtpError) as exc:
            self._send_json(400, {"error": f"invalid request: {exc}"})
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            anyio.run(self._answer, request)

    def _send_json(self, code: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    async def _answer(self, request: Request) -> None:
        """Run the agent, and stop it if the client goes away."""
        reply = _Reply(self, self.server.mode)
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._watch_client, tg.cancel_scope)
            try:
                await self._produce(request, reply)
            finally:
                tg.cancel_scope.cancel()

    async def _watch_client(self, scope: anyio.CancelScope) -> None:
        while True:
            await anyio.wait_readable(self.connection)
            try:
                gone = self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                gone = True
            if gone:
                scope.cancel()
                return
            await anyio.sleep(0.1)

    async def _produce(self, request: Request, reply: _Reply) -> None:
        info, params = self.server.info, self.server.params
        try:
            async with contextlib.aclosing(info.handler(request, params)) as items:
                async for item in items:
                    if isinstance(item, Response):
                        reply.response(item)
                        return
                    reply.event(item)
        except Crash:
            reply.crash(half_response(request))
        except Garbage as exc:
            reply.garbage(exc.text)
        except Flood as exc:
            reply.flood(exc.size_bytes)


class _Reply:
    """Writes one reply in the server's mode; streams are chunked and started lazily."""

    def __init__(self, handler: _Handler, mode: str) -> None:
        self._handler = handler
        self._mode = mode
        self._started = False

    def event(self, event: Event) -> None:
        if self._mode != "json":  # a plain JSON reply has no room for events
            self._chunk(self._frame(event.event_type, unstructure(event)))

    def response(self, response: Response) -> None:
        data = unstructure(response)
        if self._mode == "json":
            self._whole(json.dumps(data).encode())
        else:
            self._chunk(self._frame("response", data))
            self._end()

    def garbage(self, text: str) -> None:
        if self._mode == "json":
            self._whole(text.encode())
            return
        line = " ".join(text.split()).encode()
        self._chunk(b"event: response\ndata: " + line + b"\n\n" if self._mode == "sse" else line)
        self._end()

    def flood(self, size_bytes: int) -> None:
        remaining = size_bytes
        while remaining > 0:
            self._chunk(b"x" * min(CHUNK, remaining))
            remaining -= CHUNK
        self._end()

    def crash(self, partial: bytes) -> None:
        """Promise a complete body, send half of it, then drop the connection."""
        if self._mode == "json":
            self._start({"Content-Length": str(len(partial) * 2)})
            self._handler.wfile.write(partial)
        else:
            self._start()
            self._handler.wfile.write(f"{len(partial) * 2:x}\r\n".encode() + partial)
        self._handler.wfile.flush()

    def _frame(self, name: str, data: Any) -> bytes:
        text = json.dumps(data)
        if self._mode == "sse":
            return f"event: {name}\ndata: {text}\n\n".encode()
        return text.encode() + b"\n"

    def _start(self, headers: Mapping[str, str] | None = None) -> None:
        if self._started:
            return
        self._started = True
        handler = self._handler
        handler.send_response(200)
        handler.send_header("Content-Type", _CONTENT_TYPES[self._mode])
        handler.send_header("Connection", "close")
        for key, value in (headers or {"Transfer-Encoding": "chunked"}).items():
            handler.send_header(key, value)
        handler.end_headers()

    def _whole(self, body: bytes) -> None:
        self._start({"Content-Length": str(len(body))})
        self._handler.wfile.write(body)

    def _chunk(self, data: bytes) -> None:
        self._start()
        self._handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self._handler.wfile.flush()

    def _end(self) -> None:
        self._start()
        self._handler.wfile.write(b"0\r\n\r\n")
        self._handler.wfile.flush()
