"""``/baselines``: every saved baseline, with a link to compare it with the latest run."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response

from atp_core.store import BaselineRecord
from atp_web import params
from atp_web.context import web
from atp_web.responses import export_response, wanted_export
from atp_web.services.tables import Table


def baselines_table(records: Sequence[BaselineRecord]) -> Table:
    """Baselines, one per row."""
    return Table(
        name="baselines",
        columns=("name", "suite", "agent", "created_at", "suite_run_id", "tests"),
        rows=tuple(
            (r.name, r.suite, r.agent, r.created_at, r.suite_run_id,
             len(r.snapshot.get("tests", {})))
            for r in records
        ),
    )


async def baselines_page(request: Request) -> Response:
    """Baselines (``?suite=`` narrows them), each with its latest suite run to compare."""
    ctx = web(request)
    suite = params.text(request.query_params, "suite")
    fmt = wanted_export(request.query_params)
    records = await ctx.store.list_baselines(suite)
    if fmt:
        return export_response(baselines_table(records), fmt, "baselines")
    latest = {}
    for record in records:
        page = await ctx.store.list_suite_runs(suite=record.suite, agent=record.agent, limit=1)
        latest[record.name] = page.items[0].id if page.items else None
    return ctx.pages.render(request, "baselines.html", {
        "baselines": records, "latest": latest, "suite": suite or "",
    })
