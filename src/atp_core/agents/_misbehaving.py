"""Built-in agents that misbehave on purpose, to prove ATP survives them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncGenerator
from typing import Any

import anyio
from anyio.abc import Process

from atp_core.agents._core import Crash, Emitter, Flood, Garbage, file_artifact, usage
from atp_core.protocol import Artifact, Event, Request, Response, StructuredArtifact

SCRIPT = "<script>alert(1)</script>"
GARBAGE = "<html><body>500 this is not JSON {{{ ]]]</body></html>\n"
MEGABYTE = 1024 * 1024
_SLEEPER = "import time\nwhile True:\n    time.sleep(60)\n"


async def hang(request: Request, params: dict[str, Any]) -> AsyncGenerator[Event | Response, None]:
    """Report progress once, start ``children`` sleeping child processes, never answer."""
    yield Emitter(request).event("progress", current_step=1, percentage=0, message="hanging")
    children: list[Process] = []
    try:
        for _ in range(int(params["children"])):
            children.append(
                await anyio.open_process(
                    [sys.executable, "-c", _SLEEPER],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        await anyio.sleep_forever()
    finally:
        # Only reached when cancelled in-process; a killed stdio agent relies on its group kill.
        with anyio.CancelScope(shield=True):
            for child in children:
                child.kill()
                await child.aclose()


async def crash(request: Request, params: dict[str, Any]) -> AsyncGenerator[Event | Response, None]:
    """Start working, then end abruptly with exit code ``exit_code``."""
    yield Emitter(request).event("progress", current_step=1, percentage=50, message="crashing")
    raise Crash(int(params["exit_code"]))


async def garbage(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Answer with text that is not JSON."""
    raise Garbage(GARBAGE)
    yield  # makes this an async generator like every agent


async def flood(request: Request, params: dict[str, Any]) -> AsyncGenerator[Event | Response, None]:
    """Answer with ``megabytes`` MB of output."""
    raise Flood(int(float(params["megabytes"]) * MEGABYTE))
    yield  # makes this an async generator like every agent


async def html_injector(
    request: Request, params: dict[str, Any]
) -> AsyncGenerator[Event | Response, None]:
    """Put ``<script>`` into artifacts and event payloads, to test that reports escape them."""
    emit = Emitter(request)
    yield emit.event("reasoning", thought=f"thinking {SCRIPT}", plan=[SCRIPT], step=1)
    yield emit.tool_call(SCRIPT, {"html": SCRIPT}, f"<img src=x onerror=alert(1)>{SCRIPT}", 1.0)
    yield emit.event("progress", current_step=2, percentage=100, message=SCRIPT)
    artifacts: list[Artifact] = [
        file_artifact("injected.html", f"<html><body>{SCRIPT}</body></html>", "text/html"),
        StructuredArtifact(name=f"data{SCRIPT}", data={"html": SCRIPT, SCRIPT: [SCRIPT]}),
    ]
    yield emit.response(artifacts, usage(request.task.description, SCRIPT, 3, 1, 0.0))
