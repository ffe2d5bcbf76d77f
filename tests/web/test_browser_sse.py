"""Live progress over the SSE fallback, in real Chromium against uvicorn on 127.0.0.1.

`?live=sse` on a suite-run page makes the page skip the WebSocket (static/js/atp.js). A small
TCP proxy between the browser and the server lets a test cut every open connection, the way
a flaky network or a restarted proxy would, while the server and the suite run go on.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from atp_web import WebSettings, create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Each test hangs until its timeout: the suite run changes every TIMEOUT seconds, slower than
# the browser's 1 s reconnect, so a resumed stream has nothing new to send at first.
TIMEOUT = 2.5
SUITE = f"""\
test_suite: "web-sse"
version: "1.0"
defaults: {{runs_per_test: 1, timeout_seconds: {TIMEOUT}}}
agents:
  - {{name: "slow", type: "python",
     config: {{target: "atp_core.agents.entry:run", kwargs: {{agent: "hang"}}}}}}
tests:
  - {{id: "one", name: "One", task: {{description: "wait"}},
     assertions: [{{type: "no_errors", config: {{}}}}]}}
  - {{id: "two", name: "Two", task: {{description: "wait"}},
     assertions: [{{type: "no_errors", config: {{}}}}]}}
  - {{id: "three", name: "Three", task: {{description: "wait"}},
     assertions: [{{type: "no_errors", config: {{}}}}]}}
"""
# Recorded from the first script of every page: SSE opens, errors and message ids.
RECORDER = """
window.__sse = {opens: 0, errors: 0, ids: []};
document.addEventListener("htmx:sseOpen", () => { window.__sse.opens += 1; });
document.addEventListener("htmx:sseError", () => { window.__sse.errors += 1; });
document.addEventListener("htmx:sseBeforeMessage", (e) => {
  window.__sse.ids.push(e.detail.lastEventId);
});
"""

pytestmark = pytest.mark.browser


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("ATP_REQUIRE_SERVICES"):
        pytest.fail(f"{CHROMIUM} is missing and ATP_REQUIRE_SERVICES is set")
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium: scripts/ensure-system.sh)")


class Proxy:
    """A loopback TCP proxy that remembers the GET requests through it and can cut them all."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.requests: list[bytes] = []
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()  # guards _open and requests across pump threads
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            with self._lock:
                self._open += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, record: bool) -> None:
        try:
            while data := src.recv(65536):
                if record and data[:4] == b"GET ":
                    with self._lock:
                        self.requests.append(data)
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def drop(self) -> None:
        """Cut every open connection (both sides), as a network failure would."""
        with self._lock:
            doomed, self._open = self._open, []
        for sock in doomed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def sse_requests(self) -> list[bytes]:
        """Every request (line and headers) for a live SSE stream, in order."""
        with self._lock:
            return [r for r in self.requests if b"/sse " in r.split(b"\r\n", 1)[0]]

    def close(self) -> None:
        """Stop accepting and cut what is open."""
        self.listener.close()
        self.drop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The dashboard over a fresh store under uvicorn on a free loopback port."""
    import uvicorn

    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "sse.yaml").write_text(SUITE, encoding="utf-8")
    settings = WebSettings(database_url=f"sqlite:///{tmp_path / 'atp.db'}",
                           suites_dirs=(suites,), poll_interval=0.2, parallel=1)
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="warning", ws="websockets-sansio",
                            timeout_graceful_shutdown=2)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=20)
    sock.close()


@pytest.fixture
def proxy(server: str) -> Iterator[Proxy]:
    """A cuttable proxy in front of the server."""
    front = Proxy(int(server.rsplit(":", 1)[1]))
    yield front
    front.close()


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    """A Chromium page that records SSE activity (Debian's binary, never a downloaded one)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        tab.set_default_timeout(15_000)
        tab.add_init_script(RECORDER)
        yield tab
        browser.close()


def _launch(server: str) -> str:
    with httpx.Client(base_url=server) as client:
        key = client.get("/api/v1/suites").json()["suites"][0]["key"]
        started = client.post("/api/v1/launch", json={"suite": key, "agent": "suite:slow"})
    assert started.status_code == 202, started.text
    url: str = started.json()["url"]
    return url


def _sse(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate("window.__sse")
    return state


def test_forced_sse_fallback_streams_progress_live(page: Any, server: str) -> None:
    """With ?live=sse the page uses SSE, not a WebSocket, and shows each run finish live."""
    from playwright.sync_api import expect

    url = _launch(server)
    page.goto(server + url + "?live=sse")
    expect(page.locator("#live-socket")).to_have_attribute("data-transport", "sse")
    expect(page.locator("#live-socket")).to_have_attribute("sse-connect", f"/live{url}/sse")
    assert page.locator("#live-socket[ws-connect]").count() == 0
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("#live-progress")).to_contain_text("runs 1/3", timeout=3 * TIMEOUT * 1000)
    expect(page.locator("#live-progress")).to_contain_text("runs 2/3", timeout=3 * TIMEOUT * 1000)
    expect(page.locator("#live-progress")).to_contain_text("completed", timeout=3 * TIMEOUT * 1000)
    expect(page.locator("#tests-table")).to_contain_text("Three")
    assert page.evaluate("window.__sameDocument") is True
    state = _sse(page)
    assert state["opens"] >= 1
    assert len(state["ids"]) >= 3
    assert state["ids"][-1].startswith("completed.3.3.")


def test_dropped_sse_connection_resumes_and_sends_only_changes(
    page: Any, server: str, proxy: Proxy
) -> None:
    """After every connection is cut, the page reconnects with Last-Event-ID, gets no repeat."""
    from playwright.sync_api import expect

    url = _launch(server)
    page.goto(f"http://127.0.0.1:{proxy.port}{url}?live=sse")
    page.wait_for_function("window.__sse.ids.length >= 1")
    seen = _sse(page)["ids"][-1]
    assert seen.startswith("running.")
    proxy.drop()
    page.wait_for_function("window.__sse.opens >= 2", timeout=int(TIMEOUT * 1000))
    after_reconnect = _sse(page)
    expect(page.locator("#live-progress")).to_contain_text("completed", timeout=4 * TIMEOUT * 1000)
    state = _sse(page)
    resumed = [r for r in proxy.sse_requests()[1:] if b"last-event-id" in r.lower()]
    assert resumed, ([r[:60] for r in proxy.sse_requests()], state)
    assert f"last-event-id: {seen}".encode() in resumed[0].lower()
    assert after_reconnect["errors"] >= 1
    assert len(set(state["ids"])) == len(state["ids"]), state["ids"]
    assert state["ids"][-1].startswith("completed.3.3.")
    assert seen in state["ids"]
