"""The in-process entry point of the built-in agents, for the ``python`` adapter.

Use the target ``atp_core.agents.entry:run`` with kwargs ``{agent: NAME, **params}``
(``builtin_spec(NAME)`` builds that spec).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Any

from atp_core.agents._catalog import resolve_agent
from atp_core.agents._core import Crash, Flood, Garbage
from atp_core.protocol import Event, Request, Response


async def run(
    request: Request, *, agent: str, **params: Any
) -> AsyncGenerator[Event | Response | dict[str, Any] | str, None]:
    """Run built-in ``agent`` on ``request``: its events, then its response.

    In-process, a crash is an exception, garbage is a string where a message belongs, and a
    flood is a response carrying one artifact of that many bytes.
    """
    info, full = resolve_agent(agent, params)
    try:
        async with contextlib.aclosing(info.handler(request, full)) as items:
            async for item in items:
                yield item
    except Crash as exc:
        raise RuntimeError(f"built-in agent {agent!r} {exc}") from exc
    except Garbage as exc:
        yield exc.text
    except Flood as exc:
        content = "x" * exc.size_bytes
        yield {
            "task_id": request.task_id,
            "status": "completed",
            "artifacts": [{"type": "file", "path": "flood.txt", "content": content}],
        }
