"""The incremental decoders behind streamed replies."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.adapters._streams import (
    ByteBudget,
    LineSplitter,
    SseDecoder,
    SseMessage,
    content_kind,
)
from atp_core.errors import AgentProtocolError

line_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"))


def chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` cut at the given offsets."""
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@given(st.lists(line_text, min_size=1), st.lists(st.integers(0, 10_000)), st.booleans())
def test_lines_survive_any_chunking(lines: list[str], cuts: list[int], crlf: bool) -> None:
    """However the bytes are cut (even inside a UTF-8 character), the same lines come out."""
    data = ("\r\n" if crlf else "\n").join(lines).encode()
    splitter = LineSplitter()
    out = [line for chunk in chunked(data, cuts) for line in splitter.feed(chunk)]
    out += splitter.finish()
    assert out == list(lines[:-1]) + ([lines[-1]] if lines[-1] else [])


sse_name = st.sampled_from(["progress", "tool_call", "response", "message"])


@given(st.lists(st.tuples(sse_name, st.lists(line_text, min_size=1, max_size=3)), max_size=5))
def test_sse_messages_round_trip(messages: list[tuple[str, list[str]]]) -> None:
    """Serialised events (multi-line data included) decode back to the same messages."""
    text = "".join(
        f"event: {name}\n" + "".join(f"data: {d}\n" for d in data) + "\n" for name, data in messages
    )
    decoder = SseDecoder()
    decoded = [m for line in text.split("\n") if (m := decoder.line(line)) is not None]
    assert decoded == [SseMessage(event=name, data="\n".join(data)) for name, data in messages]


def test_sse_comments_and_unterminated_last_event() -> None:
    """Comment lines are skipped; a last event without its blank line is still delivered."""
    decoder = SseDecoder()
    for line in [": keep-alive", "event: response", 'data: {"a": 1}']:
        assert decoder.line(line) is None
    assert decoder.finish() == SseMessage(event="response", data='{"a": 1}')
    assert decoder.finish() is None


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("text/event-stream; charset=utf-8", "sse"),
        ("application/x-ndjson", "ndjson"),
        ("application/jsonl", "ndjson"),
        ("application/json", "json"),
        (None, "json"),
    ],
)
def test_content_type_decides_how_to_read(content_type: str | None, kind: str) -> None:
    """Event streams and NDJSON are streamed; anything else is one JSON document."""
    assert content_kind(content_type) == kind


def test_byte_budget_refuses_past_its_limit() -> None:
    """Spending exactly the limit is fine; one byte more is 'too large'."""
    budget = ByteBudget(limit=10)
    budget.spend(10)
    with pytest.raises(AgentProtocolError, match="response too large"):
        budget.spend(1)
