"""Incremental decoders for streamed replies: byte limits, lines and Server-Sent Events."""

from __future__ import annotations

import attrs

from atp_core.errors import AgentProtocolError

NDJSON_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)


def content_kind(content_type: str | None) -> str:
    """How to read a reply: ``sse``, ``ndjson`` or ``json`` (the default)."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "text/event-stream":
        return "sse"
    if mime in NDJSON_TYPES:
        return "ndjson"
    return "json"


def is_json_type(content_type: str | None) -> bool:
    """Whether a content type announces a JSON document."""
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime == "application/json" or mime.endswith("+json")


@attrs.define
class ByteBudget:
    """Counts the bytes an agent sends and refuses more than ``limit``."""

    limit: int
    what: str = "response"
    used: int = 0

    def spend(self, count: int) -> None:
        """Account for ``count`` more bytes; ``AgentProtocolError`` past the limit."""
        self.used += count
        if self.used > self.limit:
            raise AgentProtocolError(f"{self.what} too large: more than {self.limit} bytes")


@attrs.define
class LineSplitter:
    """Cuts a byte stream into text lines (``\\n`` or ``\\r\\n`` endings)."""

    _pending: bytes = b""

    def feed(self, chunk: bytes) -> list[str]:
        """Add ``chunk`` and return every line it completes."""
        *lines, self._pending = (self._pending + chunk).split(b"\n")
        return [_text(line) for line in lines]

    def finish(self) -> list[str]:
        """The unterminated last line, if any."""
        rest, self._pending = self._pending, b""
        return [_text(rest)] if rest else []


def _text(line: bytes) -> str:
    return line.removesuffix(b"\r").decode("utf-8", errors="replace")


@attrs.frozen(kw_only=True)
class SseMessage:
    """One dispatched Server-Sent Event."""

    event: str
    data: str


@attrs.define
class SseDecoder:
    """The event-stream grammar: ``event:`` and ``data:`` fields, a blank line dispatches."""

    _event: str = ""
    _data: list[str] = attrs.Factory(list)

    def line(self, line: str) -> SseMessage | None:
        """Consume one line; return a message when the line ends one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            self._event = value
        elif field == "data":
            self._data.append(value)
        return None

    def finish(self) -> SseMessage | None:
        """Dispatch a last message the agent did not end with a blank line."""
        return self._dispatch()

    def _dispatch(self) -> SseMessage | None:
        if not self._data:
            self._event = ""
            return None
        message = SseMessage(event=self._event or "message", data="\n".join(self._data))
        self._event, self._data = "", []
        return message
