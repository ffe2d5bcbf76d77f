"""The http adapter's HTTP/1.1 client against raw servers on 127.0.0.1 that say exactly what
each test needs: keep-alive, stale connections, chunked and close-delimited bodies,
compression, back-pressure, basic auth and TLS."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.lowlevel
import pytest

from atp_core.adapters._h1 import BadReply, ConnectFailed, ConnectionCut, Origin

pytestmark = pytest.mark.anyio

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(
    handler: Handler, tls: ssl.SSLContext | None = None
) -> AsyncIterator[tuple[str, list[int]]]:
    """Serve ``handler`` on 127.0.0.1; yield the base URL and a list counting connections."""
    connections: list[int] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    scheme = "https" if tls else "http"
    try:
        yield f"{scheme}://127.0.0.1:{port}/agent", connections
    finally:
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One request's head and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head, await reader.readexactly(length)


def reply(body: bytes, *headers: str) -> bytes:
    """A 200 reply with a Content-Length unless the headers say otherwise."""
    lines = ["HTTP/1.1 200 OK", *headers]
    if not any(h.lower().startswith(("content-length", "transfer-encoding")) for h in headers):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def post(origin: Origin, url: str, body: bytes = b"{}") -> tuple[int, bytes]:
    async with origin.request("POST", url, body, {"content-type": "application/json"}) as r:
        return r.status, await r.read()


async def test_sequential_requests_share_one_keep_alive_connection() -> None:
    """Five requests one after another travel over one connection."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            _, body = await read_request(reader)
            writer.write(reply(b"echo:" + body))
            await writer.drain()

    async with raw_server(handler) as (url, connections):
        origin = Origin(url, 4, verify_tls=True)
        answers = [await post(origin, url, f"{i}".encode()) for i in range(5)]
        origin.close()
    assert answers == [(200, f"echo:{i}".encode()) for i in range(5)]
    assert len(connections) == 1


async def test_a_connection_the_server_closed_while_idle_is_replaced() -> None:
    """A server that closes after each reply (without saying so) costs no failed request."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply(b"once"))
        await writer.drain()

    async with raw_server(handler) as (url, connections):
        origin = Origin(url, 4, verify_tls=True)
        for _ in range(3):
            assert await post(origin, url) == (200, b"once")
            await anyio.sleep(0.05)
        origin.close()
    assert len(connections) == 3


async def test_a_stale_connection_is_retried_once_when_the_race_is_lost() -> None:
    """The request written on a connection the server is closing goes again on a new one."""
    served = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        await read_request(reader)
        served += 1
        writer.write(reply(b"ok"))
        await writer.drain()
        await reader.read(1)  # the second request arrives: drop it unanswered

    async with raw_server(handler) as (url, connections):
        origin = Origin(url, 4, verify_tls=True)
        assert await post(origin, url) == (200, b"ok")
        assert await post(origin, url) == (200, b"ok")
        origin.close()
    assert (len(connections), served) == (2, 2)


async def test_chunked_and_close_delimited_bodies_are_read_whole() -> None:
    """Transfer-Encoding: chunked, and a body that ends when the connection does."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, _ = await read_request(reader)
        if b"/chunked" in head:
            chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            writer.write(reply(chunked, "Transfer-Encoding: chunked"))
        else:
            writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
            await writer.drain()
            writer.close()
        await writer.drain()

    async with raw_server(handler) as (url, _):
        origin = Origin(url, 4, verify_tls=True)
        assert await post(origin, url + "/chunked") == (200, b"hello world")
        assert await post(origin, url + "/close") == (200, b"until the end")
        origin.close()


async def test_a_gzip_body_is_decoded() -> None:
    """An agent that compresses anyway (ATP asks for no encoding) is still understood."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply(gzip.compress(b'{"a": 1}'), "Content-Encoding: gzip"))
        await writer.drain()

    async with raw_server(handler) as (url, _):
        origin = Origin(url, 4, verify_tls=True)
        assert await post(origin, url) == (200, b'{"a": 1}')
        origin.close()


async def test_an_unknown_encoding_and_a_broken_reply_are_bad_replies() -> None:
    """A body in an encoding ATP cannot read, and bytes that are not HTTP, are refused."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, _ = await read_request(reader)
        if b"/br" in head:
            writer.write(reply(b"xx", "Content-Encoding: br"))
        else:
            writer.write(b"SMTP ready\r\n\r\n")
        await writer.drain()

    async with raw_server(handler) as (url, _):
        origin = Origin(url, 4, verify_tls=True)
        with pytest.raises(BadReply, match="'br'"):
            await post(origin, url + "/br")
        with pytest.raises(BadReply, match="malformed"):
            await post(origin, url + "/junk")
        origin.close()


async def test_a_cut_reply_and_a_refused_connection_are_told_apart() -> None:
    """A body cut short is ConnectionCut; nothing listening is ConnectFailed."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
        await writer.drain()

    async with raw_server(handler) as (url, _):
        origin = Origin(url, 4, verify_tls=True)
        with pytest.raises(ConnectionCut):
            await post(origin, url)
        origin.close()
    with pytest.raises(ConnectFailed):
        await post(Origin(url, 1, verify_tls=True), url)


async def test_a_large_body_arrives_whole_through_back_pressure() -> None:
    """5 MB read slowly, chunk by chunk, arrive intact (reading pauses and resumes)."""
    payload = bytes(range(256)) * (5 * 4096)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply(payload))
        await writer.drain()

    async with raw_server(handler) as (url, _):
        origin = Origin(url, 4, verify_tls=True)
        received = bytearray()
        async with origin.request("POST", url, b"{}", {}) as answer:
            async for chunk in answer.chunks():
                received += chunk
                await anyio.lowlevel.checkpoint()
        origin.close()
    assert bytes(received) == payload


async def test_user_info_in_the_url_becomes_basic_auth() -> None:
    """``http://user:pass@host/`` sends an Authorization header, as other clients do."""
    heads: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, _ = await read_request(reader)
        heads.append(head)
        writer.write(reply(b"{}"))
        await writer.drain()

    async with raw_server(handler) as (url, _):
        with_user = url.replace("http://", "http://ann:s%40cret@")
        origin = Origin(with_user, 1, verify_tls=True)
        await post(origin, with_user)
        origin.close()
    assert b"authorization: Basic YW5uOnNAY3JldA==" in heads[0]


async def test_max_connections_queues_the_rest_and_cancelled_waiters_free_nothing() -> None:
    """With one slot, a cancelled waiter does not leak the slot: later requests still run."""
    release = anyio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head, _ = await read_request(reader)
            if b"/slow" in head:
                await release.wait()
            writer.write(reply(b"done"))
            await writer.drain()

    async with raw_server(handler) as (url, connections):
        origin = Origin(url, 1, verify_tls=True)
        async with anyio.create_task_group() as tg:
            tg.start_soon(post, origin, url + "/slow")
            await anyio.sleep(0.05)
            with anyio.move_on_after(0.05) as waiting:
                await post(origin, url)  # waits for the only slot, then gives up
            assert waiting.cancelled_caught
            release.set()
        assert await post(origin, url) == (200, b"done")
        origin.close()
    assert len(connections) == 1


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


async def test_tls_is_verified_unless_verification_is_off(self_signed: tuple[Path, Path]) -> None:
    """A self-signed agent is refused with verify_tls, and answers without it."""
    cert, key = self_signed
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply(b"secure"))
        await writer.drain()

    async with raw_server(handler, tls=context) as (url, _):
        with pytest.raises(ConnectFailed, match="CERTIFICATE_VERIFY_FAILED"):
            await post(Origin(url, 1, verify_tls=True), url)
        origin = Origin(url, 1, verify_tls=False)
        assert await post(origin, url) == (200, b"secure")
        origin.close()


async def test_endless_headers_are_refused_with_bounded_memory() -> None:
    """An agent that sends headers without end gets a bad reply, not a growing buffer."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(20_000):
            writer.write(b"X-Filler-%d: %s\r\n" % (i, b"y" * 100))
            if i % 500 == 0:
                await writer.drain()
        await writer.drain()

    async with raw_server(handler) as (url, _):
        origin = Origin(url, 1, verify_tls=True)
        with pytest.raises(BadReply, match="larger than 65536 bytes"):
            await post(origin, url)
        origin.close()


async def test_bytes_on_an_idle_connection_never_become_the_next_reply() -> None:
    """A stray reply sent after the real one is not read as the answer to the next request."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _, body = await read_request(reader)
        writer.write(reply(b"first"))
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(reply(b"stray"))  # unasked for
        await writer.drain()
        while True:
            _, body = await read_request(reader)
            writer.write(reply(b"late:" + body))
            await writer.drain()

    async with raw_server(handler) as (url, connections):
        origin = Origin(url, 1, verify_tls=True)
        try:
            assert await post(origin, url) == (200, b"first")
            await anyio.sleep(0.2)
            with anyio.fail_after(5):  # read as a reply, the stray bytes would leave it waiting
                assert await post(origin, url, b"second") == (200, b"first")  # a new connection
        finally:
            origin.close()
    assert len(connections) == 2
