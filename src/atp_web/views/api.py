"""``/api/v1``: JSON for everything the pages show (the OpenAPI document is in ``openapi``)."""

from __future__ import annotations

import json

import anyio
from starlette.requests import Request
from starlette.responses import Response

from atp_core.protocol import unstructure
from atp_web import params
from atp_web.context import web
from atp_web.errors import BadRequest, NotFound
from atp_web.responses import json_response
from atp_web.services.comparisons import compare_runs
from atp_web.services.launcher import LaunchRequest
from atp_web.services.live import snapshot
from atp_web.services.queries import known_agents, trends
from atp_web.services.suites import find_suites
from atp_web.views.launch import pick_suite
from atp_web.views.runs import failures_first, list_page, load_suite_run
from atp_web.views.tests import load_test


async def runs(request: Request) -> Response:
    """Suite runs, filtered, sorted and paged like ``/runs``."""
    ctx = web(request)
    data = await list_page(ctx.store, request.query_params, ctx.settings.page_size)
    return json_response(data)


async def suite_run(request: Request) -> Response:
    """One suite run with its tests, failures first."""
    ctx = web(request)
    detail = await load_suite_run(ctx.store, request.path_params["suite_run_id"])
    return json_response({"header": detail.header, "tests": failures_first(detail.tests)})


async def progress(request: Request) -> Response:
    """A suite run's live progress (what the live page shows)."""
    ctx = web(request)
    sid = request.path_params["suite_run_id"]
    snap = await snapshot(ctx.store, ctx.feed, sid)
    if snap is None:
        raise NotFound(f"suite run {sid!r} is not in the results store")
    h = snap.detail.header
    return json_response({"id": h.id, "status": h.status, "runs_done": snap.runs_done,
                          "total_runs": h.total_runs, "tests_done": len(snap.detail.tests),
                          "key": snap.key})


async def test(request: Request) -> Response:
    """One test of a suite run with every run and its checks."""
    ctx = web(request)
    detail = await load_test(ctx.store, request.path_params["suite_run_id"],
                             request.path_params["test_id"])
    return json_response(detail)


async def events(request: Request) -> Response:
    """One page of a run's events."""
    ctx = web(request)
    run_id = request.path_params["run_id"]
    if await ctx.store.get_run(run_id) is None:
        raise NotFound(f"run {run_id!r} is not in the results store")
    offset = params.integer(request.query_params, "offset", 0, 0)
    limit = params.integer(request.query_params, "limit", 100, 1, 1000)
    page = await ctx.store.list_events(run_id, offset, limit)
    return json_response({"items": [unstructure(e) for e in page.items], "total": page.total,
                          "offset": page.offset, "limit": page.limit})


async def artifact(request: Request) -> Response:
    """A run's artifact with its content (``?path=``)."""
    ctx = web(request)
    run_id = request.path_params["run_id"]
    path = params.text(request.query_params, "path", 4096)
    if path is None:
        raise BadRequest("query parameter 'path' is required")
    found = await ctx.store.get_artifact(run_id, path)
    if found is None:
        raise NotFound(f"run {run_id!r} has no artifact {path!r}")
    return json_response(unstructure(found))


async def agents(request: Request) -> Response:
    """Agents of the latest suite runs."""
    return json_response({"agents": await known_agents(web(request).store)})


async def agent(request: Request) -> Response:
    """One agent's suite runs and trends."""
    ctx = web(request)
    name = request.path_params["name"]
    limit = params.integer(request.query_params, "limit", ctx.settings.page_size, 1,
                           params.MAX_LIMIT)
    offset = params.integer(request.query_params, "offset", 0, 0)
    page = await ctx.store.list_suite_runs(agent=name, limit=limit, offset=offset)
    if page.total == 0:
        raise NotFound(f"agent {name!r} has no suite runs in the results store")
    return json_response({"name": name, "runs": page, "trends": await trends(ctx.store, name)})


async def trend_list(request: Request) -> Response:
    """Trends of the most recently run suite/agent pairs (the home page's charts)."""
    return json_response({"trends": await trends(web(request).store)})


async def comparison(request: Request) -> Response:
    """Suite run ``b`` compared with suite run ``a``, test by test."""
    ctx = web(request)
    query = request.query_params
    a, b = params.text(query, "a", 64), params.text(query, "b", 64)
    if a is None or b is None:
        raise BadRequest("query parameters 'a' and 'b' (suite run ids) are both required")
    alpha = params.number(query, "alpha", 0.05, 0.0, 1.0)
    return json_response(await compare_runs(ctx.store, a, b, alpha))


async def baselines(request: Request) -> Response:
    """Saved baselines (``?suite=`` narrows them)."""
    ctx = web(request)
    records = await ctx.store.list_baselines(params.text(request.query_params, "suite"))
    return json_response({"baselines": records})


async def suites(request: Request) -> Response:
    """Suite files the dashboard may run."""
    found = await anyio.to_thread.run_sync(find_suites, web(request).settings.suites_dirs)
    return json_response({"suites": [{"key": s.key} for s in found]})


async def launch(request: Request) -> Response:
    """Start a suite run: JSON ``{"suite": key, "agent": "builtin:NAME", "runs": n}``."""
    ctx = web(request)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise BadRequest(f"the body must be JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    found = await anyio.to_thread.run_sync(find_suites, ctx.settings.suites_dirs)
    chosen = pick_suite(found, body.get("suite") if isinstance(body.get("suite"), str) else None)
    agent_name, runs_n = body.get("agent"), body.get("runs")
    if chosen is None or not isinstance(agent_name, str):
        raise BadRequest("'suite' (a key from /api/v1/suites) and 'agent' are required")
    if runs_n is not None and (type(runs_n) is not int or not 1 <= runs_n <= 100):
        raise BadRequest("'runs' must be an integer from 1 to 100")
    suite_run_id = await ctx.launcher.start(
        LaunchRequest(suite=chosen, agent=agent_name, runs=runs_n)
    )
    return json_response({"suite_run_id": suite_run_id, "url": f"/runs/{suite_run_id}"}, 202)
