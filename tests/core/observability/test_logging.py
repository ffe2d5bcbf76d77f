"""Logging: JSON lines with bound IDs, per-module levels, stdlib routed, secrets masked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import anyio
import anyio.lowlevel
import pytest
import structlog

from atp_core.observability import MASK, bind_ids, configure_logging

SECRET = "log-planted-secret-7781"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """A JSON-configured log stream; logging is put back to a quiet default afterwards."""
    out = io.StringIO()
    configure_logging(fmt="json", stream=out, secrets=[SECRET])
    yield out
    configure_logging(level="WARNING", fmt="json", stream=io.StringIO())


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Every line of the stream, parsed as JSON."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_level_logger_time_and_fields(stream: io.StringIO) -> None:
    """Each structlog call is one JSON object with event, level, logger and timestamp."""
    structlog.get_logger("atp_core.runner").info("run started", runs=3)
    (line,) = lines(stream)
    assert line["event"] == "run started"
    assert line["runs"] == 3
    assert line["level"] == "info"
    assert line["logger"] == "atp_core.runner"
    assert line["timestamp"].endswith("Z")


@pytest.mark.anyio
async def test_bound_ids_reach_lines_from_child_tasks(stream: io.StringIO) -> None:
    """IDs bound around a task group appear in lines logged by its tasks, each with its own."""

    async def one_run(run_id: str) -> None:
        with bind_ids(run_id=run_id):
            await anyio.lowlevel.checkpoint()
            structlog.get_logger("atp_core.adapters").info("calling agent")

    with bind_ids(suite_run_id="S1", test_id="t1"):
        async with anyio.create_task_group() as tg:
            for run_id in ("r1", "r2"):
                tg.start_soon(one_run, run_id)
    structlog.get_logger("x").info("after")
    got = lines(stream)
    assert sorted((g["suite_run_id"], g["test_id"], g["run_id"]) for g in got[:2]) == [
        ("S1", "t1", "r1"),
        ("S1", "t1", "r2"),
    ]
    assert "suite_run_id" not in got[2]


def test_stdlib_logging_of_dependencies_goes_through_the_same_pipeline(
    stream: io.StringIO,
) -> None:
    """A standard-library logger's record becomes a JSON line with the bound IDs."""
    with bind_ids(request_id="req-9"):
        logging.getLogger("httpx").info("HTTP Request: %s", "GET /", extra={"status": 200})
    (line,) = lines(stream)
    assert line["event"] == "HTTP Request: GET /"
    assert line["logger"] == "httpx"
    assert line["request_id"] == "req-9"
    assert line["status"] == 200


def test_levels_apply_per_module() -> None:
    """A module set to DEBUG logs debug lines; one set to WARNING drops info lines."""
    out = io.StringIO()
    configure_logging(
        level="INFO",
        fmt="json",
        stream=out,
        levels={"atp_core.adapters": "DEBUG", "httpx": "warning"},
    )
    try:
        structlog.get_logger("atp_core.adapters.http").debug("shown")
        structlog.get_logger("atp_core.runner").debug("hidden")
        logging.getLogger("httpx").info("hidden too")
        logging.getLogger("httpx").warning("shown too")
    finally:
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    assert [line["event"] for line in lines(out)] == ["shown", "shown too"]
    assert logging.getLogger("atp_core.adapters").level == logging.NOTSET


def test_secrets_are_masked_in_events_fields_and_exceptions(stream: io.StringIO) -> None:
    """A secret in a message, a field, a nested value or an exception never reaches the stream."""
    log = structlog.get_logger("atp_core.config")
    log.info(f"loaded {SECRET}", config={"url": f"postgresql://u:{SECRET}@h/db"})
    try:
        raise RuntimeError(f"connect failed with {SECRET}")
    except RuntimeError:
        log.exception("failed")
        logging.getLogger("asyncpg").exception("dependency failed")
    text = stream.getvalue()
    assert SECRET not in text
    assert text.count(MASK) >= 4
    assert "RuntimeError: connect failed with" in text


def test_console_format_renders_readable_lines() -> None:
    """The console renderer writes one readable line, redacted, with no JSON."""
    out = io.StringIO()
    configure_logging(fmt="console", stream=out, secrets=[SECRET])
    try:
        structlog.get_logger("x").warning("hello", password="p", note=SECRET)
    finally:
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    text = out.getvalue()
    assert "hello" in text
    assert f"password={MASK}" in text
    assert SECRET not in text
    assert not text.startswith("{")


def test_auto_format_is_json_when_not_a_terminal() -> None:
    """fmt auto picks JSON for a stream that is not a terminal."""
    out = io.StringIO()
    configure_logging(fmt="auto", stream=out)
    try:
        structlog.get_logger("x").warning("hi")
    finally:
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    assert json.loads(out.getvalue())["event"] == "hi"


def test_reconfiguring_replaces_the_handler() -> None:
    """Calling configure_logging twice leaves one ATP handler, writing to the new stream."""
    first, second = io.StringIO(), io.StringIO()
    configure_logging(fmt="json", stream=first)
    configure_logging(fmt="json", stream=second)
    try:
        structlog.get_logger("x").warning("once")
    finally:
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    assert first.getvalue() == ""
    assert len(lines(second)) == 1


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"level": "LOUD"}, "LOUD"), ({"fmt": "xml"}, "xml")]
)
def test_unknown_level_or_format_is_an_error(kwargs: dict[str, Any], match: str) -> None:
    """An unknown level or format raises ValueError naming it."""
    with pytest.raises(ValueError, match=match):
        configure_logging(stream=io.StringIO(), **kwargs)


def test_a_module_level_above_the_root_silences_structlog_loggers_too() -> None:
    """A structlog logger under a module set to WARNING drops INFO though the root takes it."""
    out = io.StringIO()
    configure_logging(level="INFO", fmt="json", stream=out, levels={"atp_core.noisy": "WARNING"})
    try:
        structlog.get_logger("atp_core.noisy.part").info("hidden")
        structlog.get_logger("atp_core.noisy.part").warning("shown")
        structlog.get_logger("atp_core.quiet").info("shown too")
    finally:
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    assert [line["event"] for line in lines(out)] == ["shown", "shown too"]
