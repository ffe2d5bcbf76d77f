"""The access token: when configured, every request presents it (header or cookie)."""

from __future__ import annotations

import hmac

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from atp_core.config import Secret

COOKIE = "atp_token"
OPEN_PATHS = frozenset({"/login", "/healthz"})


def token_matches(expected: Secret, given: str) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    return hmac.compare_digest(expected.get_secret_value().encode(), given.encode())


def presented(conn: HTTPConnection) -> str:
    """The token a request presents: ``Authorization: Bearer`` first, then the cookie."""
    header = conn.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return conn.cookies.get(COOKIE, "")


class TokenMiddleware:
    """Refuses (401) HTTP requests and WebSockets that do not present the token."""

    def __init__(self, app: ASGIApp, token: Secret) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        if token_matches(self.token, presented(HTTPConnection(scope))):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = b"401 Unauthorized: present the access token (Authorization: Bearer " \
            b"or the cookie set by /login?token=...)"
        await send({"type": "http.response.start", "status": 401, "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"www-authenticate", b"Bearer"),
        ]})
        await send({"type": "http.response.body", "body": body})
