"""The tools endpoint: an HTTP server on 127.0.0.1 that serves a suite's tools to each run.

Per run, ``ToolServer.serve(task_id, sink)`` yields ``http://127.0.0.1:PORT/runs/TOKEN``:

- ``GET  {endpoint}`` lists the tools with their input schemas: ``{"tools": [...]}``;
- ``POST {endpoint}/tools/{name}`` with the input as a JSON object calls one; the reply is
  ``{"output": ...}`` or, with status 400/404, ``{"error": "..."}``.

Every call of a known tool becomes a ``tool_call`` event of that run. The token is random,
so one run cannot reach another's tools or trace.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.abc
import attrs

from atp_core.protocol import Clock, Event, EventSink, SystemClock, ToolsSpec
from atp_core.tools._http import BadRequest, HttpRequest, read_request, send_json
from atp_core.tools._toolbox import Tool, build_tools


@attrs.define
class _Run:
    task_id: str
    sink: EventSink
    sequence: int = 0


@attrs.define
class ToolServer:
    """Serves ``tools`` to runs; open it with ``open_tool_server``."""

    tools: dict[str, Tool]
    base_url: str = ""
    clock: Clock = attrs.Factory(SystemClock)
    _runs: dict[str, _Run] = attrs.Factory(dict)

    @asynccontextmanager
    async def serve(self, task_id: str, sink: EventSink) -> AsyncIterator[str]:
        """Serve one run; yield its endpoint URL; each call is reported to ``sink``."""
        token = secrets.token_urlsafe(16)
        self._runs[token] = _Run(task_id=task_id, sink=sink)
        try:
            yield f"{self.base_url}/runs/{token}"
        finally:
            del self._runs[token]

    async def handle(self, stream: anyio.abc.ByteStream) -> None:
        """Answer one connection."""
        async with stream:
            try:
                request = await read_request(stream)
                status, document = await self._route(request)
            except BadRequest as exc:
                status, document = exc.status, {"error": str(exc)}
            except (anyio.EndOfStream, anyio.BrokenResourceError, TimeoutError):
                return
            await send_json(stream, status, document)

    async def _route(self, request: HttpRequest) -> tuple[int, Any]:
        parts = request.path.strip("/").split("/")
        run = self._runs.get(parts[1]) if len(parts) >= 2 and parts[0] == "runs" else None
        if run is None:
            return 404, {"error": "no such run endpoint"}
        rest = parts[2:]
        if request.method == "GET" and rest in ([], ["tools"]):
            return 200, {"tools": [t.describe() for t in self.tools.values()]}
        if len(rest) != 2 or rest[0] != "tools":
            return 404, {"error": f"no such path {request.path!r}"}
        tool = self.tools.get(rest[1])
        if tool is None:
            return 404, {"error": f"unknown tool {rest[1]!r}; known: {', '.join(self.tools)}"}
        if request.method != "POST":
            return 405, {"error": "call a tool with POST"}
        return await self._call(run, tool, request.body)

    async def _call(self, run: _Run, tool: Tool, body: bytes) -> tuple[int, Any]:
        start = time.monotonic()
        data: Any = None
        try:
            data = json.loads(body or b"{}")
            output = await anyio.to_thread.run_sync(tool.call, tool.check(data))
        except (ValueError, LookupError, PermissionError, OSError) as exc:
            message = "the body is not JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            status = 404 if isinstance(exc, LookupError) else 400
            self._record(run, tool.name, data, None, start, message)
            return status, {"error": message}
        self._record(run, tool.name, data, output, start, None)
        return 200, {"output": output}

    def _record(self, run: _Run, tool: str, data: Any, output: Any, start: float,
                error: str | None) -> None:
        payload = {"tool": tool, "input": data, "output": output,
                   "duration_ms": round((time.monotonic() - start) * 1000, 3),
                   "status": "error" if error else "success", "error": error,
                   "source": "tools_endpoint"}
        run.sink.event(Event(task_id=run.task_id, event_type="tool_call",
                             timestamp=self.clock.now().isoformat(), sequence=run.sequence,
                             payload=payload))
        run.sequence += 1


@asynccontextmanager
async def open_tool_server(
    spec: ToolsSpec, *, host: str = "127.0.0.1", port: int = 0, clock: Clock | None = None
) -> AsyncIterator[ToolServer]:
    """Start serving ``spec``'s tools on ``host`` (a free port by default) until exit.

    The result is a ``RunTools`` for ``RunOptions(tools=...)``.
    """
    server = ToolServer(tools=build_tools(spec), clock=clock or SystemClock())
    listener = await anyio.create_tcp_listener(local_host=host, local_port=port)
    async with listener, anyio.create_task_group() as tg:
        bound = listener.extra(anyio.abc.SocketAttribute.local_port)  # noqa: S610 - anyio, not Django
        server.base_url = f"http://{host}:{bound}"
        tg.start_soon(listener.serve, server.handle)
        try:
            yield server
        finally:
            tg.cancel_scope.cancel()
