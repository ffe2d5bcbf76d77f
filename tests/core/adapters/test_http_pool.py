"""The http adapter's connection pool: as many concurrent requests as max_connections."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import anyio
import pytest

from atp_core.adapters._http import DEFAULT_MAX_CONNECTIONS, HttpAdapter
from atp_core.adapters._registry import build_config
from atp_core.errors import ConfigError

if TYPE_CHECKING:
    from conftest import RecordingSink, RequestFactory


class _Counting(ThreadingHTTPServer):
    """Answers after a pause, counting the most requests it held at once."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Slow)
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0


class _Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Counting

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        """Hold the request 0.3 s, then answer with a completed response."""
        request = json.loads(self.rfile.read(int(self.headers["content-length"])))
        with self.server.lock:
            self.server.active += 1
            self.server.peak = max(self.server.peak, self.server.active)
        time.sleep(0.3)
        with self.server.lock:
            self.server.active -= 1
        body = json.dumps(
            {"version": "1.0", "task_id": request["task_id"], "status": "completed"}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def counting() -> Iterator[_Counting]:
    """A counting server on 127.0.0.1, served from a thread."""
    server = _Counting()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


async def _burst(http: HttpAdapter, requests: int, make: RequestFactory, sink: Any) -> None:
    async with http, anyio.create_task_group() as tg:
        for _ in range(requests):
            tg.start_soon(http.execute, make("x"), sink)


def _adapter(server: _Counting, **config: object) -> HttpAdapter:
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/"
    return HttpAdapter(build_config("http", {"endpoint": endpoint, **config}))


@pytest.mark.anyio
async def test_default_pool_holds_more_than_the_usual_100(
    counting: _Counting, make_request: RequestFactory, sink: RecordingSink
) -> None:
    """120 concurrent runs are all in flight at once with the default max_connections."""
    assert DEFAULT_MAX_CONNECTIONS >= 256
    await _burst(_adapter(counting), 120, make_request, sink)
    assert counting.peak == 120


@pytest.mark.anyio
async def test_max_connections_caps_requests_in_flight(
    counting: _Counting, make_request: RequestFactory, sink: RecordingSink
) -> None:
    """With max_connections 3, six concurrent runs reach the agent at most three at a time."""
    await _burst(_adapter(counting, max_connections=3), 6, make_request, sink)
    assert counting.peak == 3


def test_max_connections_must_be_positive() -> None:
    """Zero connections is a config error naming the key."""
    with pytest.raises(ConfigError, match="max_connections"):
        build_config("http", {"endpoint": "http://x/", "max_connections": 0})
