"""``/runs/{id}/tests/{test_id}``: runs side by side, checks, event timeline, artifacts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response

from atp_core.protocol import Event
from atp_core.store import RunDetail, Store, TestDetail
from atp_web import params
from atp_web.context import web
from atp_web.errors import NotFound
from atp_web.responses import export_response, pick_table, wanted_export
from atp_web.services.artifacts import image_bytes, show
from atp_web.services.tables import Table, checks_table, runs_table

EVENTS_PER_RUN = 200
# Timelines cost a query per run: a test with many runs shows the first few inline and links
# to the rest (?timelines=N), which keeps the page near 50 ms with 50 runs (docs/dashboard.md).
TIMELINE_RUNS = 10
TIMELINE_READERS = 8


async def load_test(store: Store, suite_run_id: str, test_id: str) -> TestDetail:
    """A test of a suite run, or ``NotFound``."""
    detail = await store.get_test(suite_run_id, test_id)
    if detail is None:
        raise NotFound(f"test {test_id!r} is not in suite run {suite_run_id!r}")
    return detail


async def timelines(
    store: Store, runs: Sequence[RunDetail], limit: int
) -> dict[str, list[Event]]:
    """The first ``limit`` events of each of ``runs``, by run id.

    One query per run: they run a few at a time, since runs read one after the other spend
    most of their time waiting on the database.
    """
    out: dict[str, list[Event]] = {}
    limiter = anyio.CapacityLimiter(TIMELINE_READERS)

    async def read(run_id: str) -> None:
        async with limiter:
            out[run_id] = list((await store.list_events(run_id, 0, limit)).items)

    async with anyio.create_task_group() as group:
        for run in runs:
            group.start_soon(read, run.id)
    return {run.id: out[run.id] for run in runs}


def events_table(detail: TestDetail, events: dict[str, list[Event]]) -> Table:
    """Every shown event of every run of a test."""
    return Table(
        name="events",
        columns=("run_number", "sequence", "timestamp", "event_type", "payload"),
        rows=tuple(
            (run.record.run_number, e.sequence, e.timestamp, e.event_type,
             json.dumps(e.payload, sort_keys=True, ensure_ascii=False, default=str))
            for run in detail.runs
            for e in events[run.id]
        ),
    )


async def test_page(request: Request) -> Response:
    """One test: every run, every check with its reason, events and artifacts."""
    ctx = web(request)
    sid, tid = request.path_params["suite_run_id"], request.path_params["test_id"]
    fmt = wanted_export(request.query_params)
    limit = params.integer(request.query_params, "events", EVENTS_PER_RUN, 1, 10_000)
    shown = params.integer(request.query_params, "timelines", TIMELINE_RUNS, 0, 10_000)
    detail = await load_test(ctx.store, sid, tid)
    events = await timelines(ctx.store, detail.runs if fmt else detail.runs[:shown], limit)
    if fmt:
        tables = {t.name: t for t in (runs_table(detail), checks_table(detail),
                                       events_table(detail, events))}
        table = pick_table(request.query_params, tables)
        return export_response(table, fmt, f"{tid}-{table.name}")
    return ctx.pages.render(request, "test.html", {
        "detail": detail, "test": detail.test, "events": events, "limit": limit,
        "shown": shown,
    })


async def _run_of(store: Store, request: Request) -> RunDetail:
    sid, tid = request.path_params["suite_run_id"], request.path_params["test_id"]
    run = await store.get_run(request.path_params["run_id"])
    if run is None or run.suite_run_id != sid or run.record.test_id != tid:
        raise NotFound(f"run {request.path_params['run_id']!r} is not a run of test {tid!r}")
    return run


async def artifact_page(request: Request) -> Response:
    """One artifact in the viewer (``?path=`` names it)."""
    ctx = web(request)
    run = await _run_of(ctx.store, request)
    path = params.text(request.query_params, "path", 4096)
    if path is None:
        raise NotFound("no artifact path given (?path=...)")
    artifact = await ctx.store.get_artifact(run.id, path)
    if artifact is None:
        raise NotFound(f"run {run.id!r} has no artifact {path!r}")
    context: dict[str, Any] = {"run": run, "shown": show(artifact), "path": path,
                               "sid": run.suite_run_id, "tid": run.record.test_id}
    return ctx.pages.render(request, "artifact.html", context)


async def artifact_raw(request: Request) -> Response:
    """An image artifact's bytes; anything else is shown only as text in the viewer."""
    ctx = web(request)
    run = await _run_of(ctx.store, request)
    path = params.text(request.query_params, "path", 4096) or ""
    artifact = await ctx.store.get_artifact(run.id, path)
    data = None if artifact is None else image_bytes(artifact)
    if artifact is None or data is None:
        raise NotFound(f"run {run.id!r} has no image artifact {path!r}")
    return Response(data, media_type=getattr(artifact, "content_type", None), headers={
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "X-Content-Type-Options": "nosniff",
    })
