"""``/agents`` and ``/agents/{name}``: an agent's suite runs across suites, with trends."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from atp_web import params
from atp_web.context import web
from atp_web.errors import NotFound
from atp_web.responses import export_response, wanted_export
from atp_web.services.queries import known_agents, trends
from atp_web.services.tables import suite_runs_table
from atp_web.views.home import trend_lines


async def agents_index(request: Request) -> Response:
    """Every agent of the latest suite runs."""
    ctx = web(request)
    return ctx.pages.render(request, "agents.html", {"agents": await known_agents(ctx.store)})


async def agent_page(request: Request) -> Response:
    """One agent's history: its suite runs, newest first, and a trend per suite."""
    ctx = web(request)
    name = request.path_params["name"]
    fmt = wanted_export(request.query_params)
    limit = params.integer(request.query_params, "limit", ctx.settings.page_size, 1,
                           params.MAX_LIMIT)
    page_no = params.integer(request.query_params, "page", 1, 1, 10**6)
    page = await ctx.store.list_suite_runs(agent=name, limit=limit, offset=(page_no - 1) * limit)
    if page.total == 0:
        raise NotFound(f"agent {name!r} has no suite runs in the results store")
    if fmt:
        return export_response(suite_runs_table(page.items), fmt, f"agent-{name}")
    charts = [(t, *trend_lines(t)) for t in await trends(ctx.store, agent=name)]
    return ctx.pages.render(request, "agent.html", {
        "name": name, "page": page, "page_no": page_no, "charts": charts,
        "pages": max((page.total + limit - 1) // limit, 1),
    })
