"""A minimal ATP agent over HTTP that answers every request after a fixed delay.

``python _http_agent.py DELAY_SECONDS`` listens on a free port of 127.0.0.1, prints the
port on stdout, and answers each POST (HTTP/1.1, keep-alive) with a completed ATP
response after sleeping DELAY_SECONDS, without blocking other connections. Plain asyncio
streams keep the server's own cost per request far below the client's.
"""

from __future__ import annotations

import asyncio
import json
import sys


def _description(body: dict[str, object]) -> object:
    task = body.get("task")
    return task.get("description") if isinstance(task, dict) else None


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = json.loads(await reader.readexactly(length)) if length else {}
            await asyncio.sleep(delay)
            reply = json.dumps(
                {
                    "version": "1.0",
                    "task_id": body.get("task_id", "x"),
                    "status": "completed",
                    "artifacts": [
                        {
                            "type": "structured",
                            "name": "answer",
                            "data": {"text": _description(body)},
                        }
                    ],
                }
            ).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + b"Content-Length: %d\r\n\r\n" % len(reply)
                + reply
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve(delay: float) -> None:
    server = await asyncio.start_server(
        lambda r, w: _handle(r, w, delay), "127.0.0.1", 0, backlog=1024
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(_serve(float(sys.argv[1])))
