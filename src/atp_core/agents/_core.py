"""The small core of the built-in agents: what an agent is and how it builds messages.

An agent is an async generator function ``(request, params) -> AsyncIterator[Event |
Response]``: it yields events while it works and ends with one response. Misbehaving agents
raise a ``Misbehavior`` instead; each transport acts it out in its own way (a stdio agent
exits with half a JSON document, an HTTP agent drops the connection mid-body, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

import attrs

from atp_core.protocol import (
    Artifact,
    Event,
    FileArtifact,
    Metrics,
    Request,
    Response,
    StructuredArtifact,
)

AgentHandler = Callable[[Request, dict[str, Any]], AsyncGenerator[Event | Response, None]]

# Simulated price per token so that cost scoring has numbers to work with.
USD_PER_TOKEN = 0.000002


@attrs.frozen(kw_only=True)
class AgentInfo:
    """A built-in agent: its name, what it does, its handler and its parameters' defaults."""

    name: str
    description: str
    handler: AgentHandler
    params: Mapping[str, Any] = attrs.Factory(dict)


class Misbehavior(Exception):
    """Raised by a misbehaving agent; the transport turns it into the matching failure."""


class Crash(Misbehavior):
    """End abruptly: half a message, then exit ``exit_code`` (or drop the connection)."""

    def __init__(self, exit_code: int = 3) -> None:
        super().__init__(f"crashed on purpose (exit code {exit_code})")
        self.exit_code = exit_code


class Garbage(Misbehavior):
    """Answer with ``text``, which is not JSON."""

    def __init__(self, text: str) -> None:
        super().__init__("answered with garbage on purpose")
        self.text = text


class Flood(Misbehavior):
    """Answer with ``size_bytes`` bytes of output, far more than any response needs."""

    def __init__(self, size_bytes: int) -> None:
        super().__init__(f"flooding {size_bytes} bytes on purpose")
        self.size_bytes = size_bytes


def file_artifact(path: str, content: str, content_type: str = "text/plain") -> FileArtifact:
    """A text file artifact with its size and sha256 hash filled in."""
    raw = content.encode()
    return FileArtifact(
        path=path,
        content=content,
        content_type=content_type,
        size_bytes=len(raw),
        content_hash="sha256:" + hashlib.sha256(raw).hexdigest(),
    )


def usage(prompt: str, output: str, steps: int, tool_calls: int, seconds: float) -> Metrics:
    """Simulated, deterministic token usage (about four characters a token) and its cost."""
    input_tokens = math.ceil(len(prompt) / 4)
    output_tokens = math.ceil(len(output) / 4)
    total = input_tokens + output_tokens
    return Metrics(
        total_tokens=total,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_steps=steps,
        tool_calls=tool_calls,
        wall_time_seconds=round(seconds, 6),
        cost_usd=round(total * USD_PER_TOKEN, 8),
    )


@attrs.define
class Emitter:
    """Builds the events and the response of one run, numbering the events."""

    request: Request
    sequence: int = 0

    def event(self, event_type: str, **payload: Any) -> Event:
        """The next event of this run."""
        event = Event(
            task_id=self.request.task_id,
            event_type=event_type,  # type: ignore[arg-type]
            timestamp=dt.datetime.now(dt.UTC).isoformat(),
            sequence=self.sequence,
            payload=payload,
        )
        self.sequence += 1
        return event

    def tool_call(
        self, tool: str, tool_input: Any, output: Any, duration_ms: float, error: str | None = None
    ) -> Event:
        """A ``tool_call`` event; ``error`` set means the call failed."""
        return self.event(
            "tool_call",
            tool=tool,
            input=tool_input,
            output=output,
            duration_ms=round(duration_ms, 3),
            status="error" if error else "success",
            error=error,
        )

    def response(
        self,
        artifacts: list[Artifact],
        metrics: Metrics,
        status: str = "completed",
        error: str | None = None,
    ) -> Response:
        """The final response of this run."""
        return Response(
            task_id=self.request.task_id,
            status=status,  # type: ignore[arg-type]
            artifacts=artifacts,
            metrics=metrics,
            error=error,
        )


def echo_artifacts(request: Request) -> list[Artifact]:
    """What ``echo`` answers: the task as structured data and as ``echo.txt``."""
    task = request.task
    return [
        StructuredArtifact(
            name="echo", data={"description": task.description, "input_data": task.input_data}
        ),
        file_artifact("echo.txt", task.description),
    ]
