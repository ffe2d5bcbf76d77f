"""Agents for the performance benchmarks: as cheap as an agent can be.

``echo`` is the in-process agent the overhead, memory and start-up benchmarks call through
the ``python`` adapter (target ``_agents:echo`` with this directory on ``sys.path``).
"""

from __future__ import annotations

from typing import Any

from atp_core.protocol import Request


async def echo(request: Request) -> dict[str, Any]:
    """Answer at once with the task description as one structured artifact."""
    return {
        "version": "1.0",
        "task_id": request.task_id,
        "status": "completed",
        "artifacts": [
            {"type": "structured", "name": "answer", "data": {"text": request.task.description}}
        ],
    }
