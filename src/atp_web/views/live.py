"""Live progress of a suite run: WebSocket (htmx ws extension) and SSE as the fallback.

Both push the same HTML: out-of-band swaps of the progress bar and the tests table, sent
only when the snapshot changed. The last message replaces the element that holds the
connection, so the browser closes it once the suite run has finished.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.websockets import WebSocket, WebSocketDisconnect

from atp_web.context import WebContext, web
from atp_web.errors import NotFound
from atp_web.services.live import Snapshot, snapshot, watch
from atp_web.views.runs import failures_first


def update_html(ctx: WebContext, snap: Snapshot) -> str:
    """The out-of-band fragment for one snapshot."""
    return ctx.pages.text("components/live_update.html", {
        "header": snap.detail.header, "tests": failures_first(snap.detail.tests),
        "runs_done": snap.runs_done,
    })


async def _known(ctx: WebContext, suite_run_id: str) -> None:
    if await snapshot(ctx.store, ctx.feed, suite_run_id) is None:
        raise NotFound(f"suite run {suite_run_id!r} is not in the results store")


async def live_ws(websocket: WebSocket) -> None:
    """Push updates over a WebSocket until the suite run finishes or the client leaves."""
    ctx = web(websocket)
    suite_run_id = websocket.path_params["suite_run_id"]
    await websocket.accept()
    async with anyio.create_task_group() as tg:
        tg.start_soon(_until_disconnect, websocket, tg.cancel_scope)
        try:
            async for snap in watch(ctx.store, ctx.feed, suite_run_id, ctx.settings.poll_interval):
                await websocket.send_text(update_html(ctx, snap))
            await websocket.close(code=1000)
        except WebSocketDisconnect:
            pass
        tg.cancel_scope.cancel()


async def _until_disconnect(websocket: WebSocket, scope: anyio.CancelScope) -> None:
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    except (WebSocketDisconnect, RuntimeError):
        pass
    scope.cancel()


def sse_message(event_id: str, html: str) -> str:
    """One SSE message named ``update`` carrying ``html``."""
    data = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"id: {event_id}\nevent: update\n{data}\n"


async def live_sse(request: Request) -> Response:
    """Push updates as Server-Sent Events; ``Last-Event-ID`` resumes without repeats."""
    ctx = web(request)
    suite_run_id = request.path_params["suite_run_id"]
    await _known(ctx, suite_run_id)
    last = request.headers.get("Last-Event-ID")

    async def stream() -> AsyncIterator[str]:
        yield "retry: 1000\n\n"
        async for snap in watch(ctx.store, ctx.feed, suite_run_id, ctx.settings.poll_interval,
                                last_key=last):
            yield sse_message(snap.key, update_html(ctx, snap))

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
