"""The conformance set in tests/fixtures/protocol: the parser and the published schemas agree.

Each fixture is ``{"kind", "about", "message", ...}``. A valid one parses (with
``warnings`` protocol warnings) and fits the schema; an invalid one is refused by both,
the parser's message containing ``error``. A fixture with ``known_gap`` documents a place
where the parser is still more lenient than the protocol; it is a strict xfail, so the
test fails once the gap is closed and the marker can go.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from atp_core.errors import AgentProtocolError
from atp_core.protocol import EventParser, parse_request, parse_response
from atp_core.protocol._wire import MAX_DESCRIPTION
from atp_core.protocol.schemas import protocol_schemas

FIXTURES = Path(__file__).parents[2] / "fixtures" / "protocol"
SCHEMAS = protocol_schemas()


def _load(kind: str) -> list[Any]:
    params = []
    for path in sorted((FIXTURES / kind).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        gap = doc.get("known_gap")
        marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
        params.append(pytest.param(doc, id=path.stem, marks=marks))
    return params


def _parse(kind: str, message: Any) -> tuple[Any, list[str]]:
    """Parse as ATP does; an event the parser keeps only as a warning raises here."""
    if kind == "request":
        return parse_request(message), []
    if kind == "response":
        return parse_response(message)
    parser = EventParser(task_id="t-1")
    event = parser.parse(message)
    if event is None:
        raise AgentProtocolError("; ".join(parser.warnings))
    return event, parser.warnings


def _schema_errors(kind: str, message: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMAS[kind])
    return [e.message for e in validator.iter_errors(message)]


def test_conformance_set_is_complete() -> None:
    """The set holds at least 15 valid and 15 invalid messages covering all three kinds."""
    for kind in ("valid", "invalid"):
        docs = [json.loads(p.read_text()) for p in (FIXTURES / kind).glob("*.json")]
        assert len(docs) >= 15
        assert {d["kind"] for d in docs} == {"request", "response", "event"}


@pytest.mark.parametrize("doc", _load("valid"))
def test_valid_message_parses_and_fits_schema(doc: dict[str, Any]) -> None:
    """A valid fixture parses with the stated number of warnings and fits its schema."""
    parsed, warnings = _parse(doc["kind"], doc["message"])
    if "warnings" in doc:
        assert len(warnings) == doc["warnings"], warnings
    for field, value in doc.get("filled", {}).items():
        assert getattr(parsed, field) == value
    assert _schema_errors(doc["kind"], doc["message"]) == []


@pytest.mark.parametrize("doc", _load("invalid"))
def test_invalid_message_is_refused_by_parser_and_schema(doc: dict[str, Any]) -> None:
    """An invalid fixture is refused by the parser, with a clear message, and by the schema."""
    with pytest.raises(AgentProtocolError) as caught:
        _parse(doc["kind"], doc["message"])
    assert _schema_errors(doc["kind"], doc["message"]) != []
    _check_message(doc, str(caught.value))


def _check_message(doc: dict[str, Any], message: str) -> None:
    gap = doc.get("known_gap_message")
    if gap is None:
        assert doc["error"] in message
    elif doc["error"] in message:
        pytest.fail(f"gap closed, drop known_gap_message from the fixture: {gap}")
    else:
        pytest.xfail(gap)


def test_description_at_limit_is_accepted_and_one_more_refused() -> None:
    """A 100 000 character description is valid; 100 001 is refused by parser and schema."""
    at_limit = {"task_id": "t-1", "task": {"description": "x" * MAX_DESCRIPTION}}
    assert len(parse_request(at_limit).task.description) == MAX_DESCRIPTION
    assert _schema_errors("request", at_limit) == []
    over = {"task_id": "t-1", "task": {"description": "x" * (MAX_DESCRIPTION + 1)}}
    with pytest.raises(AgentProtocolError) as caught:
        parse_request(over)
    assert _schema_errors("request", over) != []
    assert "longer than 100000" in str(caught.value)
