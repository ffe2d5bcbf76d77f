"""A small HTTP/1.1 client for the ``http`` adapter: one origin, keep-alive, streamed bodies.

Why not a general client (docs/adr/0003-http-adapter-transport.md): at 256 runs in flight
the client's CPU bounds how many runs a second ATP can drive, and httpx cost ~1 ms and
aiohttp ~0.25 ms of CPU per request here, against ~0.1 ms for this module. It does only
what the adapter needs: POST (and GET for health checks) to one origin, over plain TCP or
TLS, with bodies read as they arrive. Parsing is httptools' (llhttp, the parser of Node.js
and uvicorn): chunked bodies, header limits and malformed replies are its business.

No redirects, proxies, cookies or HTTP/2: an agent's endpoint answers the request itself.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
import zlib
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import httptools

import atp_core

# Past this many unread body bytes the socket stops being read until the adapter catches up.
HIGH_WATER = 256 * 1024
# A status line and headers larger than this are refused (llhttp itself sets no limit).
MAX_HEAD_BYTES = 64 * 1024
USER_AGENT = f"atp/{atp_core.__version__}"


class TransportError(Exception):
    """Base of the transport's failures; the adapter maps each to an ``AdapterError``."""


class ConnectFailed(TransportError):
    """No connection could be made (refused, unreachable, name not resolved, TLS failed)."""


class ConnectionCut(TransportError):
    """The server closed the connection before the reply was complete."""


class BadReply(TransportError):
    """What came back is not a valid HTTP/1.1 reply."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection; parses replies and buffers their bodies."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.status = 0
        self.reason = ""
        self.headers: dict[str, str] = {}
        self.received_any = False
        self.in_flight = True  # a request was or is about to be written
        self.head_bytes = 0
        self.keep_alive = False
        self.headers_done = False
        self.complete = False
        self.error: TransportError | None = None
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self._waiter: asyncio.Future[None] | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport; not always an asyncio.Transport subclass (uvloop's are not).
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if not self.in_flight:
            # Bytes on an idle connection belong to no request: never let them be read as
            # the reply to the next one.
            self.abort()
            return
        self.received_any = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(BadReply("the agent switched protocols"))
        except httptools.HttpParserError as exc:
            self._fail(BadReply(f"malformed HTTP reply: {exc}"))
        if self._buffered > HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.headers_done and not self.complete and self._ends_at_close():
            self.complete = True  # a body without length or chunking ends with the connection
        elif self.received_any and not self.complete:
            self._fail(ConnectionCut(str(exc) if exc else "connection closed mid-reply"))
        elif not self.complete:
            self._fail(ConnectionCut(str(exc) if exc else "connection closed before a reply"))
        self._wake()

    # httptools callbacks
    def on_status(self, status: bytes) -> None:
        self._count_head(len(status))
        self.reason += status.decode("latin-1")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value))
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        # Asked now: llhttp no longer knows once the message is complete.
        self.keep_alive = self.parser.should_keep_alive()
        self.headers_done = True
        self._wake()

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        self._wake()

    def on_message_complete(self) -> None:
        self.complete = True
        self._wake()

    # used by the pool and the response
    def reset(self) -> None:
        """Forget the last reply before the next request on this connection."""
        self.status, self.reason, self.headers = 0, "", {}
        self.received_any = self.headers_done = self.complete = self.keep_alive = False
        self.error = None
        self.head_bytes = 0
        self.in_flight = True

    def _count_head(self, size: int) -> None:
        self.head_bytes += size
        if self.head_bytes > MAX_HEAD_BYTES:
            # Raised inside httptools' callback: it stops parsing and reports the error.
            self._fail(BadReply(f"reply headers larger than {MAX_HEAD_BYTES} bytes"))
            raise BadReply("headers too large")

    async def wait(self) -> None:
        """Until something happens: headers, a body chunk, the end, or an error."""
        if self.error is not None:
            raise self.error
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None
        if self.error is not None:
            raise self.error

    def take(self) -> bytes | None:
        """The next buffered body chunk, if any."""
        if not self._chunks:
            return None
        chunk = self._chunks.popleft()
        self._buffered -= len(chunk)
        if self._paused and self._buffered <= HIGH_WATER // 2 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk

    def reusable(self) -> bool:
        """Whether the connection can carry another request."""
        return (
            self.complete
            and not self._chunks
            and not self.closed
            and self.error is None
            and self.keep_alive
        )

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()
        self.closed = True

    def _ends_at_close(self) -> bool:
        return "content-length" not in self.headers and "chunked" not in self.headers.get(
            "transfer-encoding", ""
        )

    def _fail(self, error: TransportError) -> None:
        if self.error is None:
            self.error = error
        if self.transport is not None:
            self.transport.abort()
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class Reply:
    """The status and headers of a reply, and its body as it arrives."""

    def __init__(self, connection: _Connection) -> None:
        self._connection = connection
        self.status = connection.status
        self.reason = connection.reason.strip()
        self.headers = connection.headers  # names lower-cased; repeated ones joined by ", "
        self._decoder = _decoder(self.headers.get("content-encoding", ""))

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body, decoded if the agent compressed it, chunk by chunk."""
        connection = self._connection
        while True:
            chunk = connection.take()
            if chunk is not None:
                yield self._decode(chunk)
                continue
            if connection.complete:
                break
            await connection.wait()
        if self._decoder is not None:
            rest = self._decoder.flush()
            if rest:
                yield rest

    async def read(self) -> bytes:
        """The whole body (the caller has checked its announced size).

        A loop of its own rather than over ``chunks()``: every async generator costs a
        registration with the event loop, and this is the path of every JSON reply.
        """
        connection, parts = self._connection, []
        while True:
            chunk = connection.take()
            if chunk is not None:
                parts.append(self._decode(chunk))
            elif connection.complete:
                break
            else:
                await connection.wait()
        if self._decoder is not None:
            parts.append(self._decoder.flush())
        return b"".join(parts)

    def _decode(self, chunk: bytes) -> bytes:
        if self._decoder is None:
            return chunk
        try:
            plain: bytes = self._decoder.decompress(chunk)
        except zlib.error as exc:
            raise BadReply(f"the compressed body does not decode: {exc}") from exc
        return plain


def _decoder(encoding: str) -> Any:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise BadReply(f"content encoding {encoding!r} is not supported (ATP asks for none)")


class Origin:
    """Requests to one ``http(s)://host:port``, over at most ``max_connections`` at once."""

    def __init__(self, url: str, max_connections: int, verify_tls: bool) -> None:
        parts = urlsplit(url)
        self.scheme = parts.scheme
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        default_port = parts.port is None or parts.port == (443 if self.scheme == "https" else 80)
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.host_header = shown if default_port else f"{shown}:{self.port}"
        self._auth = _basic_auth(parts.username, parts.password)
        self._tls = _tls_context(verify_tls) if self.scheme == "https" else None
        self.slots = _Slots(max_connections)
        self.idle: list[_Connection] = []

    def request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> _Exchange:
        """``async with origin.request(...) as reply``: send one request, get the reply.

        The reply comes once its headers are in. The connection goes back to the pool only
        if the body was read to its end; otherwise (an early return, an error, a
        cancellation) it is closed.
        """
        return _Exchange(self, self._head(method, url, body, headers) + body)

    def close(self) -> None:
        """Close every idle connection."""
        for connection in self.idle:
            connection.abort()
        self.idle.clear()

    async def send(self, data: bytes) -> tuple[_Connection, bool]:
        """Write ``data`` on an idle connection, else a new one; whether it was reused."""
        while self.idle:
            connection = self.idle.pop()
            if connection.closed:
                continue
            connection.reset()
            assert connection.transport is not None
            connection.transport.write(data)
            return connection, True
        return await self.fresh(data), False

    async def fresh(self, data: bytes) -> _Connection:
        """Write ``data`` on a new connection."""
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                _Connection,
                self.host,
                self.port,
                ssl=self._tls,
                server_hostname=self.host if self._tls else None,
            )
        except (OSError, ssl.SSLError) as exc:
            raise ConnectFailed(str(exc) or type(exc).__name__) from exc
        assert connection.transport is not None
        connection.transport.write(data)
        return connection

    def _head(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"host: {self.host_header}"]
        names = {name.lower() for name in headers}
        if "user-agent" not in names:
            lines.append(f"user-agent: {USER_AGENT}")
        if self._auth and "authorization" not in names:
            lines.append(f"authorization: {self._auth}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"content-length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _Exchange:
    """One request on an ``Origin``, as an async context manager (a class, not a generator:
    this is the path of every run)."""

    def __init__(self, origin: Origin, payload: bytes) -> None:
        self._origin = origin
        self._payload = payload
        self._connection: _Connection | None = None

    async def __aenter__(self) -> Reply:
        origin = self._origin
        await origin.slots.acquire()
        try:
            connection, reused = await origin.send(self._payload)
            self._connection = connection
            while not connection.headers_done:
                try:
                    await connection.wait()
                except ConnectionCut:
                    if not reused or connection.received_any:
                        raise
                    # The server had closed the idle connection as the request went out:
                    # nothing was processed, so it goes again on a new connection.
                    connection.abort()
                    connection, reused = await origin.fresh(self._payload), False
                    self._connection = connection
        except BaseException:
            if self._connection is not None:
                self._connection.abort()
            origin.slots.release()
            raise
        return Reply(connection)

    async def __aexit__(self, kind: object, error: object, traceback: object) -> None:
        connection = self._connection
        assert connection is not None
        if kind is None and connection.reusable():
            connection.in_flight = False
            self._origin.idle.append(connection)
        else:
            connection.abort()
        self._origin.slots.release()


class _Slots:
    """At most ``size`` holders at once, first come first served.

    asyncio.Semaphore would do, but its ``acquire`` scans its waiters on every call.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # the slot was handed over as the wait was cancelled
            raise

    def release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes straight to the next in line
                return
        self._free += 1


def _basic_auth(user: str | None, password: str | None) -> str | None:
    if user is None:
        return None
    token = f"{unquote(user)}:{unquote(password or '')}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


_TLS: dict[bool, ssl.SSLContext] = {}


def _tls_context(verify: bool) -> ssl.SSLContext:
    """One context per process and mode: building one loads the CA bundle (~20 ms)."""
    context = _TLS.get(verify)
    if context is None:
        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        _TLS[verify] = context
    return context
