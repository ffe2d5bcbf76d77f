"""What every transport does with the JSON messages of one run.

An agent sends events while it works and one response at the end. ``MessageStream`` parses
both leniently (unknown fields become warnings on the sink), fills in what events may leave
out, and keeps the rules about which message is which in one place.
"""

from __future__ import annotations

import json
from typing import Any

from atp_core.errors import AgentProtocolError
from atp_core.protocol import EventParser, EventSink, Request, Response, parse_response

SNIPPET_CHARS = 200


def snippet(text: str | bytes, limit: int = SNIPPET_CHARS) -> str:
    """A short, single-line excerpt of agent output for an error message."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def decode_json(raw: str | bytes, what: str) -> Any:
    """Parse one JSON document sent by the agent; ``AgentProtocolError`` if it is not JSON."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise AgentProtocolError(f"{what} is not valid JSON ({exc}): {snippet(raw)!r}") from exc


def is_response(data: Any) -> bool:
    """Whether a message read from a mixed stream is the response rather than an event."""
    return (
        isinstance(data, dict)
        and "status" in data
        and "task_id" in data
        and "event_type" not in data
    )


class MessageStream:
    """Routes the messages of one run: events to the sink, the response to the caller."""

    def __init__(self, request: Request, sink: EventSink) -> None:
        self._request = request
        self._sink = sink
        self._parser = EventParser(task_id=request.task_id)

    def event(self, data: Any) -> None:
        """Hand one event to the sink; a malformed one becomes a warning."""
        event = self._parser.parse(data)
        self._flush_parser_warnings()
        if event is not None:
            self._sink.event(event)

    def response(self, data: Any) -> Response:
        """Parse the final response, reporting unknown fields and a foreign task id."""
        response, warnings = parse_response(data)
        for warning in warnings:
            self._sink.warning(warning)
        if response.task_id != self._request.task_id:
            self._sink.warning(
                f"response task_id {response.task_id!r} differs from the request's "
                f"{self._request.task_id!r}"
            )
        return response

    def message(self, data: Any) -> Response | None:
        """Route a message whose kind is known only from its content."""
        if is_response(data):
            return self.response(data)
        self.event(data)
        return None

    def warning(self, message: str) -> None:
        """Record a protocol warning about the transport itself."""
        self._sink.warning(message)

    def _flush_parser_warnings(self) -> None:
        for warning in self._parser.warnings:
            self._sink.warning(warning)
        self._parser.warnings.clear()
