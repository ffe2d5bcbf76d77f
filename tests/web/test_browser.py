"""End to end in real Chromium against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from atp_web import WebSettings, create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("ATP_REQUIRE_SERVICES"):
        pytest.fail(f"{CHROMIUM} is missing and ATP_REQUIRE_SERVICES is set")
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium: scripts/ensure-system.sh)")


@pytest.fixture
def server(seeded: Any) -> Iterator[str]:
    """The dashboard under uvicorn on a free loopback port."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = WebSettings(database_url=seeded.url, suites_dirs=(seeded.suites_dir,),
                           poll_interval=0.2, parallel=1)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", ws="websockets-sansio")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=15)


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    """A Chromium page (Debian's binary, never a downloaded one)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        tab.set_default_timeout(10_000)
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield tab
        browser.close()
        assert dialogs == [], f"agent output ran as script: {dialogs}"


def test_read_filter_open_run_and_test_then_launch_and_watch_live(
    page: Any, server: str, seeded: Any
) -> None:
    """Home → filter runs → a run → a test's timeline; then start a run and see it progress."""
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page.locator("svg.spark").first).to_be_visible()
    page.click("text=Suite runs")
    page.fill("input[name=suite]", "web-xss")
    expect(page.locator("#runs-table")).to_contain_text("web-xss")
    expect(page.locator("#runs-table")).not_to_contain_text("web-demo")
    assert "suite=web-xss" in page.url
    # Leaving the field asks for nothing more: a second request, answered while a click on
    # a run's link was navigating, would push its URL and cancel that navigation.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.locator("h1").click()
    page.wait_for_timeout(500)  # longer than the filter's 300 ms delay
    assert [u for u in requests if "/runs?" in u] == []
    page.click(f"#runs-table a[href='/runs/{seeded.xss.id}']")
    expect(page.locator("h1")).to_contain_text("web-xss")
    page.click("#tests-table a")
    expect(page.locator("ol.timeline").first).to_contain_text("tool_call")
    page.locator("details summary", has_text="input and output").first.click()
    expect(page.locator("ol.timeline pre").first).to_contain_text("<script>")

    page.goto(server + "/launch")
    key = page.locator("#suite option", has_text="slow.yaml").get_attribute("value")
    page.select_option("#suite", key)
    expect(page.locator("#agent option[value='suite:slow']")).to_have_count(1)
    page.select_option("#agent", "suite:slow")
    page.click("button:has-text('Start')")
    page.wait_for_url("**/runs/*")
    expect(page.locator("#live-progress")).to_contain_text("running")
    url = page.url
    expect(page.locator("#live-progress")).to_contain_text("runs 1/3", timeout=8_000)
    expect(page.locator("#live-progress")).to_contain_text("completed", timeout=8_000)
    expect(page.locator("#tests-table")).to_contain_text("Three")
    assert page.url == url
    assert page.locator("#live-socket").get_attribute("data-transport") in (None, "ws")
