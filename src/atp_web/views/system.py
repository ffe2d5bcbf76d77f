"""``/healthz``, ``/metrics`` and ``/login`` (the access-token cookie)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from atp_web.auth import COOKIE, token_matches
from atp_web.context import web
from atp_web.errors import BadRequest


async def healthz(request: Request) -> Response:
    """Whether the store answers: 200 ``ok``, or 503 with the reason."""
    ctx = web(request)
    try:
        current, latest = await ctx.store.schema_status()
    except Exception as exc:
        return JSONResponse({"status": "unavailable", "reason": str(exc)}, status_code=503)
    return JSONResponse({"status": "ok", "store": ctx.store.url, "schema": current,
                         "schema_latest": latest})


async def metrics(request: Request) -> Response:
    """Prometheus exposition of the dashboard's own registry."""
    ctx = web(request)
    return Response(ctx.metrics.render(), media_type=ctx.metrics.content_type)


async def login(request: Request) -> Response:
    """Check ``?token=`` and keep it in an HTTP-only cookie; then go home."""
    ctx = web(request)
    token = request.query_params.get("token", "")
    if ctx.settings.token is None:
        return RedirectResponse("/", status_code=303)
    if not token_matches(ctx.settings.token, token):
        raise BadRequest("the access token is wrong")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response
