"""Version tolerance (any 1.x) and lenient parsing of what agents send."""

from __future__ import annotations

from typing import Any

import pytest

from atp_core.errors import AgentProtocolError, ProtocolVersionError
from atp_core.protocol import EventParser, check_version, parse_response

OK = {"task_id": "t-1", "status": "completed"}


@pytest.mark.parametrize("version", ["1.0", "1.7", "1.42"])
def test_any_minor_of_major_one_is_accepted(version: str) -> None:
    """1.0, 1.7 and 1.42 are all spoken by this ATP."""
    assert check_version(version) == version
    response, warnings = parse_response({**OK, "version": version})
    assert response.version == version
    assert warnings == []


@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("2.0", ["2.0", "not supported", "1.x"]),
        ("0.9", ["0.9", "not supported", "1.x"]),
        ("1", ["MAJOR.MINOR", "'1'"]),
        (1.0, ["string", "1.0"]),
        ("x.y", ["MAJOR.MINOR", "'x.y'"]),
    ],
)
def test_other_versions_are_refused_with_a_clear_message(version: Any, words: list[str]) -> None:
    """Other majors and malformed versions are refused, naming the value and what is expected."""
    with pytest.raises(ProtocolVersionError) as direct:
        check_version(version)
    with pytest.raises(AgentProtocolError) as parsed:
        parse_response({**OK, "version": version})
    for message in (str(direct.value), str(parsed.value)):
        for word in words:
            assert word in message


def test_unknown_fields_become_counted_warnings() -> None:
    """Each unknown field, at any depth, is dropped and named in one warning."""
    data = {**OK, "extra": 1, "metrics": {"total_tokens": 3, "gpu": 2},
            "artifacts": [{"type": "structured", "name": "s", "data": {"kept": 1}, "x": 0}]}
    response, warnings = parse_response(data)
    assert sorted(warnings) == [
        "unknown field $.artifacts[0].x ignored",
        "unknown field $.extra ignored",
        "unknown field $.metrics.gpu ignored",
    ]
    assert response.metrics.total_tokens == 3
    assert response.artifacts[0].data == {"kept": 1}  # type: ignore[union-attr]


@pytest.mark.parametrize("missing", ["task_id", "status"])
def test_missing_required_field_is_a_protocol_error(missing: str) -> None:
    """A response without task_id or status is not an ATP response."""
    data = {k: v for k, v in OK.items() if k != missing}
    with pytest.raises(AgentProtocolError, match=missing):
        parse_response(data)


def test_event_parser_fills_missing_sequence_timestamp_and_task_id() -> None:
    """Events without sequence, timestamp or task_id get them on receipt, in order."""
    parser = EventParser(task_id="run-7")
    first = parser.parse({"event_type": "progress", "payload": {"percentage": 10}})
    second = parser.parse({"event_type": "reasoning"})
    assert first is not None
    assert second is not None
    assert (first.task_id, first.sequence) == ("run-7", 0)
    assert (second.task_id, second.sequence) == ("run-7", 1)
    assert first.timestamp
    assert second.timestamp
    assert parser.warnings == []


def test_event_parser_continues_after_an_explicit_sequence() -> None:
    """A filled-in sequence follows the highest one the agent sent."""
    parser = EventParser(task_id="t")
    parser.parse({"event_type": "progress", "sequence": 5})
    later = parser.parse({"event_type": "progress"})
    assert later is not None
    assert later.sequence == 6


@pytest.mark.parametrize(
    "data",
    [
        "not json object",
        {"event_type": "dreaming"},
        {"event_type": "progress", "payload": [1]},
        {"event_type": "progress", "version": "9.0"},
    ],
)
def test_malformed_event_is_kept_as_a_warning(data: Any) -> None:
    """A malformed event is never silently dropped: it becomes a protocol warning."""
    parser = EventParser(task_id="t")
    assert parser.parse(data) is None
    assert len(parser.warnings) == 1
    assert parser.next_sequence == 0
