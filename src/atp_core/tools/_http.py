"""Just enough HTTP/1.1 for the tools endpoint: one request per connection, JSON bodies."""

from __future__ import annotations

import json
from typing import Any

import anyio
import anyio.abc
import attrs

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
READ_TIMEOUT = 30.0
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            413: "Content Too Large", 500: "Internal Server Error"}


class BadRequest(Exception):
    """The bytes received are not a request this server accepts; ``status`` says how."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@attrs.frozen(kw_only=True)
class HttpRequest:
    """A parsed request: method, path (no query) and body bytes."""

    method: str
    path: str
    body: bytes


async def read_request(stream: anyio.abc.ByteStream) -> HttpRequest:
    """Read one request from ``stream`` (head, then a ``Content-Length`` body)."""
    buffer = b""
    with anyio.fail_after(READ_TIMEOUT):
        while b"\r\n\r\n" not in buffer:
            if len(buffer) > MAX_HEAD:
                raise BadRequest("request head too large", 413)
            buffer += await stream.receive()
        head, _, body = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest("malformed request line")
        length = _content_length(lines[1:])
        if length > MAX_BODY:
            raise BadRequest("request body too large", 413)
        while len(body) < length:
            body += await stream.receive()
    return HttpRequest(method=parts[0], path=parts[1].split("?", 1)[0], body=body[:length])


def _content_length(header_lines: list[str]) -> int:
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            if not value.strip().isdigit():
                raise BadRequest("invalid Content-Length")
            return int(value.strip())
        if name.strip().lower() == "transfer-encoding":
            raise BadRequest("chunked bodies are not accepted; send Content-Length")
    return 0


async def send_json(stream: anyio.abc.ByteStream, status: int, document: Any) -> None:
    """Send ``document`` as the JSON response and leave the connection to be closed."""
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    head = (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    await stream.send(head.encode("latin-1") + body)
