"""``/compare?a=…&b=…``: two suite runs of one suite, per-test deltas and significance."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from atp_web import params
from atp_web.context import web
from atp_web.responses import export_response, wanted_export
from atp_web.services.comparisons import compare_runs, comparison_table, delta


async def compare_page(request: Request) -> Response:
    """The comparison of ``b`` (current) with ``a`` (baseline); a form when either is missing."""
    ctx = web(request)
    query = request.query_params
    fmt = wanted_export(query)
    a, b = params.text(query, "a", 64), params.text(query, "b", 64)
    alpha = params.number(query, "alpha", 0.05, 0.0, 1.0)
    if a is None or b is None:
        recent = (await ctx.store.list_suite_runs(limit=50)).items
        return ctx.pages.render(request, "compare.html", {
            "comparison": None, "recent": recent, "a": a or "", "b": b or "", "alpha": alpha,
        })
    comparison = await compare_runs(ctx.store, a, b, alpha)
    if fmt:
        return export_response(comparison_table(comparison), fmt, f"compare-{a}-{b}")
    headers = {s: await ctx.store.suite_run_header(s) for s in (a, b)}
    return ctx.pages.render(request, "compare.html", {
        "comparison": comparison, "a": a, "b": b, "alpha": alpha, "recent": (),
        "header_a": headers[a], "header_b": headers[b], "delta": delta,
    })
