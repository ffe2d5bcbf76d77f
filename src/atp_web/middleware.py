"""Counts requests by route template and status code for ``/metrics``."""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atp_web.metrics import WebMetrics


def _route_of(scope: Scope) -> str:
    """The route's path template (bounded label values), or ``unmatched``."""
    for route in scope["app"].routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", "unmatched"))
    return "unmatched"


class CountRequests:
    """ASGI middleware feeding ``atp_web_requests_total{route,status}``."""

    def __init__(self, app: ASGIApp, metrics: WebMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember)
        finally:
            self.metrics.requests.labels(route=_route_of(scope), status=str(status[0])).inc()
