"""``/``: recent suite runs and the pass-rate and score trends of each suite/agent pair."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from atp_web.context import web
from atp_web.responses import export_response, wanted_export
from atp_web.services.queries import Trend, trends
from atp_web.services.svg import Sparkline, sparkline
from atp_web.services.tables import suite_runs_table

RECENT = 20


def trend_lines(trend: Trend) -> tuple[Sparkline, Sparkline]:
    """The pass-rate and mean-score sparklines of a trend."""
    return (
        sparkline([p.pass_rate for p in trend.points]),
        sparkline([p.mean_score for p in trend.points]),
    )


async def home(request: Request) -> Response:
    """Recent suite runs and trends (``?format=csv|xlsx`` exports the recent runs)."""
    ctx = web(request)
    fmt = wanted_export(request.query_params)
    page = await ctx.store.list_suite_runs(limit=RECENT)
    if fmt:
        return export_response(suite_runs_table(page.items), fmt, "recent-suite-runs")
    charts = [(t, *trend_lines(t)) for t in await trends(ctx.store)]
    return ctx.pages.render(
        request, "home.html", {"recent": page.items, "total": page.total, "charts": charts}
    )
