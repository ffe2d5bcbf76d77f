"""``/runs`` (filter, sort, page) and ``/runs/{suite_run_id}`` (its tests, failures first)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from atp_core.store import Store, SuiteRunDetail, TestRow
from atp_web import params
from atp_web.context import web
from atp_web.errors import NotFound
from atp_web.responses import export_response, wanted_export
from atp_web.services.queries import suite_runs_sorted
from atp_web.services.tables import suite_runs_table, tests_table

STATUSES = ("running", "completed", "interrupted", "stopped_early")
ORDERS = ("newest", "oldest")
_VERDICT_ORDER = {"error": 0, "failed": 1, "passed": 2}


def run_filters(query: QueryParams) -> dict[str, Any]:
    """The suite-run filters of a query string, validated."""
    since = params.moment(query, "since")
    return {
        "suite": params.text(query, "suite"),
        "agent": params.text(query, "agent"),
        "status": params.choice(query, "status", STATUSES, None),
        "since": since.isoformat() if since else None,
    }


async def list_page(store: Store, query: QueryParams, page_size: int) -> dict[str, Any]:
    """One page of suite runs as the template and the API see it."""
    filters = run_filters(query)
    order = params.choice(query, "order", ORDERS, "newest") or "newest"
    limit = params.integer(query, "limit", page_size, 1, params.MAX_LIMIT)
    page = params.integer(query, "page", 1, 1, 10**6)
    items, total = await suite_runs_sorted(
        store, order=order, limit=limit, offset=(page - 1) * limit, **filters
    )
    return {
        "items": items, "total": total, "page": page, "limit": limit, "order": order,
        "filters": filters, "pages": max((total + limit - 1) // limit, 1),
    }


def _link(data: dict[str, Any], **changes: Any) -> str:
    query = {k: v for k, v in data["filters"].items() if v}
    query.update(order=data["order"], page=data["page"])
    query.update(changes)
    return "/runs?" + urlencode(query)


async def list_runs(request: Request) -> Response:
    """Suite runs, filtered by suite, agent, status and start time, sorted and paged."""
    ctx = web(request)
    fmt = wanted_export(request.query_params)
    data = await list_page(ctx.store, request.query_params, ctx.settings.page_size)
    if fmt:
        return export_response(suite_runs_table(data["items"]), fmt, "suite-runs")
    data.update(link=lambda **kw: _link(data, **kw), statuses=STATUSES, orders=ORDERS)
    return ctx.pages.render(request, "runs.html", data, block="runs_table")


def failures_first(tests: tuple[TestRow, ...]) -> list[TestRow]:
    """Errors, then failures, then passes; suite order within each."""
    return sorted(tests, key=lambda t: _VERDICT_ORDER.get(t.verdict, 0))


async def load_suite_run(store: Store, suite_run_id: str) -> SuiteRunDetail:
    """A suite run, or ``NotFound``."""
    detail = await store.get_suite_run(suite_run_id)
    if detail is None:
        raise NotFound(f"suite run {suite_run_id!r} is not in the results store")
    return detail


async def suite_run(request: Request) -> Response:
    """One suite run: its tests with statistics, failures first; live while running."""
    ctx = web(request)
    fmt = wanted_export(request.query_params)
    detail = await load_suite_run(ctx.store, request.path_params["suite_run_id"])
    tests = failures_first(detail.tests)
    if fmt:
        return export_response(tests_table(tests), fmt, f"suite-run-{detail.header.id}")
    return ctx.pages.render(request, "run.html", {
        "header": detail.header, "tests": tests, "runs_done": detail.header.runs_done,
    })
