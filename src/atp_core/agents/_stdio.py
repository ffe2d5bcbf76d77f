"""Serve one request over stdio: request on stdin, events on stderr, the response on stdout."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Mapping
from typing import Any, BinaryIO

import anyio

from atp_core.agents._catalog import resolve_agent
from atp_core.agents._core import AgentInfo, Crash, Flood, Garbage
from atp_core.errors import AtpError
from atp_core.protocol import Event, Request, Response, parse_request, unstructure

CHUNK = 1024 * 1024


def half_response(request: Request) -> bytes:
    """The first half of a plausible response: what a crash mid-write leaves behind."""
    whole = json.dumps(
        {
            "version": "1.0",
            "task_id": request.task_id,
            "status": "completed",
            "artifacts": [{"type": "file", "path": "partial.txt", "content": "x"}],
        }
    )
    return whole[: len(whole) // 2].encode()


def write_flood(out: BinaryIO, size_bytes: int) -> None:
    """Write ``size_bytes`` bytes of filler to ``out``, in 1 MB chunks."""
    chunk = b"x" * CHUNK
    remaining = size_bytes
    while remaining > 0:
        out.write(chunk[:remaining])
        remaining -= CHUNK
    out.flush()


def run_stdio(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    stderr: BinaryIO | None = None,
) -> int:
    """Answer the request read from ``stdin`` with built-in agent ``name``; the exit code.

    Returns 0 after a response (or the garbage/flood a misbehaving agent writes), the crash
    agent's exit code after half a response, 2 for an invalid request.
    """
    info, full = resolve_agent(name, params)
    source = stdin or sys.stdin.buffer
    out = stdout or sys.stdout.buffer
    err = stderr or sys.stderr.buffer
    try:
        request = parse_request(json.loads(source.read()))
    except (ValueError, AtpError) as exc:
        err.write(f"invalid request: {exc}\n".encode())
        err.flush()
        return 2
    try:
        return anyio.run(_answer, info, request, full, out, err)
    except BrokenPipeError:
        return 1


async def _answer(
    info: AgentInfo, request: Request, params: dict[str, Any], out: BinaryIO, err: BinaryIO
) -> int:
    try:
        async with contextlib.aclosing(info.handler(request, params)) as items:
            async for item in items:
                if isinstance(item, Event):
                    err.write(json.dumps(unstructure(item)).encode() + b"\n")
                    err.flush()
                elif isinstance(item, Response):
                    out.write(json.dumps(unstructure(item)).encode())
                    out.flush()
                    return 0
    except Crash as exc:
        out.write(half_response(request))
        out.flush()
        return exc.exit_code
    except Garbage as exc:
        out.write(exc.text.encode())
        out.flush()
        return 0
    except Flood as exc:
        write_flood(out, exc.size_bytes)
        return 0
    err.write(f"built-in agent {info.name!r} ended without a response\n".encode())
    err.flush()
    return 1
