"""Web request IDs: bound to every log line of a request and returned to the caller."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from atp_core.observability import configure_logging


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """JSON log lines at DEBUG into a buffer; quiet again afterwards."""
    out = io.StringIO()
    configure_logging(level="DEBUG", fmt="json", stream=out)
    yield out
    configure_logging(level="WARNING", fmt="json", stream=io.StringIO())


def _web_requests(out: io.StringIO) -> list[dict[str, object]]:
    parsed = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    return [p for p in parsed if p.get("event") == "web_request"]


def test_the_callers_request_id_is_logged_and_returned(
    client: TestClient, lines: io.StringIO
) -> None:
    """X-Request-Id from the caller is echoed and bound to the request's log line."""
    reply = client.get("/healthz", headers={"X-Request-Id": "ci-job-42.7"})
    assert reply.headers["x-request-id"] == "ci-job-42.7"
    (line,) = [e for e in _web_requests(lines) if e.get("route") == "/healthz"]
    assert line["request_id"] == "ci-job-42.7"
    assert line["status"] == 200


def test_a_missing_or_unsafe_request_id_is_replaced_by_a_fresh_one(
    client: TestClient, lines: io.StringIO
) -> None:
    """A value with spaces or newlines never reaches the logs; each request gets its own ID."""
    first = client.get("/healthz", headers={"X-Request-Id": "evil\tid with spaces"})
    second = client.get("/healthz")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids)
    assert ids[0] != ids[1]
    logged = [e["request_id"] for e in _web_requests(lines) if e.get("route") == "/healthz"]
    assert logged == ids
    assert "evil" not in lines.getvalue()
