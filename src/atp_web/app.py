"""``create_app(settings, store)``: the dashboard as one Starlette application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from atp_core.store import Store
from atp_web.auth import TokenMiddleware
from atp_web.context import WebContext, web
from atp_web.errors import WebError
from atp_web.metrics import WebMetrics
from atp_web.middleware import BindRequestId, CountRequests
from atp_web.openapi import openapi_document
from atp_web.responses import json_response
from atp_web.services.feed import LiveFeed
from atp_web.services.launcher import Launcher
from atp_web.settings import WebSettings
from atp_web.templating import Pages, make_environment
from atp_web.views import agents, api, baselines, compare, home, launch, live, runs, system, tests

STATIC = Path(__file__).parent / "static"
SID = "/runs/{suite_run_id}"
TEST = SID + "/tests/{test_id}"


async def _openapi(request: Request) -> Response:
    return json_response(openapi_document())


def _routes() -> list[Route | WebSocketRoute | Mount]:
    return [
        Route("/", home.home),
        Route("/runs", runs.list_runs),
        Route(SID, runs.suite_run),
        Route(TEST, tests.test_page),
        Route(TEST + "/artifacts/{run_id}", tests.artifact_page),
        Route(TEST + "/artifacts/{run_id}/raw", tests.artifact_raw),
        Route("/agents", agents.agents_index),
        Route("/agents/{name}", agents.agent_page),
        Route("/compare", compare.compare_page),
        Route("/baselines", baselines.baselines_page),
        Route("/launch", launch.launch_form, methods=["GET"]),
        Route("/launch", launch.launch_run, methods=["POST"]),
        WebSocketRoute("/live" + SID + "/ws", live.live_ws),
        Route("/live" + SID + "/sse", live.live_sse),
        Route("/healthz", system.healthz),
        Route("/metrics", system.metrics),
        Route("/login", system.login),
        Route("/api/v1/openapi.json", _openapi),
        Route("/api/v1/runs", api.runs),
        Route("/api/v1" + SID, api.suite_run),
        Route("/api/v1" + SID + "/progress", api.progress),
        Route("/api/v1" + TEST, api.test),
        Route("/api/v1/test-runs/{run_id}/events", api.events),
        Route("/api/v1/test-runs/{run_id}/artifacts", api.artifact),
        Route("/api/v1/agents", api.agents),
        Route("/api/v1/agents/{name}", api.agent),
        Route("/api/v1/trends", api.trend_list),
        Route("/api/v1/compare", api.comparison),
        Route("/api/v1/baselines", api.baselines),
        Route("/api/v1/suites", api.suites),
        Route("/api/v1/launch", api.launch, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def _error(request: Request, status: int, reason: str) -> Response:
    if request.url.path.startswith("/api/"):
        return json_response({"error": reason}, status_code=status)
    return web(request).pages.render(
        request, "error.html", {"status": status, "reason": reason}, status_code=status
    )


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return _error(request, exc.status_code, exc.reason)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    reason = "no such page" if exc.status_code == 404 else str(exc.detail)
    return _error(request, exc.status_code, reason)


def create_app(settings: WebSettings, store: Store | None = None) -> Starlette:
    """The dashboard over ``store`` (or over ``settings.database_url``, opened at start-up).

    A store passed in stays open after the app stops; one opened here is closed with it.
    Runs started from the browser execute in the app's task group and are stopped (their
    finished runs kept) when the app shuts down.
    """
    ctx = WebContext(
        settings=settings, feed=LiveFeed(), metrics=WebMetrics(),
        pages=Pages(make_environment(), {"token_required": settings.token is not None}),
        store_=store,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if store is None:
                from atp_core.store import open_store

                ctx.store_ = await stack.enter_async_context(open_store(settings.database_url))
            launcher = Launcher(ctx.store, ctx.feed, settings, sinks=(ctx.metrics.sink(),))
            async with anyio.create_task_group() as group:
                launcher.group = group
                ctx.launcher_ = launcher
                yield
                launcher.stop.set()
                with anyio.move_on_after(10):
                    await launcher.wait_idle()
                group.cancel_scope.cancel()

    middleware = [Middleware(BindRequestId), Middleware(CountRequests, metrics=ctx.metrics)]
    if settings.token is not None:
        middleware.append(Middleware(TokenMiddleware, token=settings.token))
    app = Starlette(
        routes=_routes(), middleware=middleware, lifespan=lifespan,
        exception_handlers={WebError: _web_error, HTTPException: _http_error},
    )
    app.state.web = ctx
    return app


def create_app_from_env() -> Starlette:
    """The dashboard over the settings ``atp serve`` put in ``ATP_WEB_SETTINGS``.

    uvicorn calls this in each worker process of ``atp serve --workers N``
    (``atp_web.app:create_app_from_env`` with ``factory=True``).
    """
    import os

    from atp_web.settings_env import settings_from_env

    return create_app(settings_from_env(os.environ))
