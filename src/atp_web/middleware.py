"""ASGI middleware: request IDs in every log line, and request counts for ``/metrics``."""

from __future__ import annotations

import os
import re
import time

import structlog
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atp_core.observability import bind_ids
from atp_web.metrics import WebMetrics

log = structlog.get_logger(__name__)
REQUEST_ID_HEADER = b"x-request-id"
# A caller's own ID is kept when it is short and plain (it goes into logs verbatim).
_GOOD_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


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


class BindRequestId:
    """Binds a request ID to every log line written while a request is served.

    The ID is the caller's ``X-Request-Id`` when it is short and plain, else a new one; the
    response carries it back in ``X-Request-Id``. One DEBUG line per request records method,
    route, status and duration under that ID.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        status = [0]

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [*message.get("headers", ()), (REQUEST_ID_HEADER, request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        start = time.perf_counter()
        with bind_ids(request_id=request_id):
            try:
                await self.app(scope, receive, tagged)
            finally:
                log.debug(
                    "web_request",
                    method=scope.get("method", "WS"),
                    route=_route_of(scope),
                    status=status[0] or None,
                    duration_ms=round((time.perf_counter() - start) * 1000, 2),
                )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER and _GOOD_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return os.urandom(8).hex()
