"""The public test doubles: scripted agent, memory sink, event capture, fake clock."""

from __future__ import annotations

import datetime as dt

import anyio
import anyio.lowlevel
import pytest

import atp_core.testing as testing
from atp_core.errors import AgentUnreachable
from atp_core.protocol import Event, Metrics, Request, Task
from atp_core.testing import EventCapture, FakeClock, MemorySink, Reply, ScriptedAgent

pytestmark = pytest.mark.anyio


def request(test_id: str = "t", run: int = 1) -> Request:
    """A request as the runner builds it."""
    return Request(
        task_id=f"{test_id}-r{run}",
        task=Task(description="x"),
        metadata={"test_id": test_id, "run_number": run, "total_runs": 3},
    )


def test_public_names_are_exported_sorted() -> None:
    """The facade's __all__ is sorted and every name resolves."""
    assert testing.__all__ == sorted(testing.__all__)
    assert all(hasattr(testing, name) for name in testing.__all__)


async def test_scripted_agent_plays_per_test_lists_with_the_last_repeating() -> None:
    """A list of replies is indexed by run number and its last reply repeats."""
    agent = ScriptedAgent({"t": [Reply(status="failed"), Reply(metrics=Metrics(total_steps=2))]})
    capture = EventCapture()
    statuses = [(await agent.execute(request(run=n), capture)).status for n in (1, 2, 3)]
    assert statuses == ["failed", "completed", "completed"]
    assert [r.task_id for r in agent.requests] == ["t-r1", "t-r2", "t-r3"]


async def test_scripted_agent_streams_events_through_the_real_parser() -> None:
    """Mapping events get task_id and sequence filled in; malformed ones become warnings."""
    reply = Reply(
        events=(
            {"event_type": "progress", "payload": {"percentage": 50}},
            {"event_type": "nonsense"},
        ),
        warnings=("stray output",),
    )
    capture = EventCapture()
    response = await ScriptedAgent(reply).execute(request(), capture)
    assert response.task_id == "t-r1"
    (event,) = capture.events
    assert (event.task_id, event.sequence, event.event_type) == ("t-r1", 0, "progress")
    assert capture.warnings[0].startswith("malformed event kept as warning")
    assert capture.warnings[-1] == "stray output"


async def test_scripted_agent_accepts_async_functions_and_raises_failures() -> None:
    """A script function may be async; a reply may raise an adapter error."""

    async def script(req: Request) -> Reply:
        await anyio.lowlevel.checkpoint()
        return Reply(raises=AgentUnreachable("down"))

    async with ScriptedAgent(script) as agent:
        with pytest.raises(AgentUnreachable, match="down"):
            await agent.execute(request(), EventCapture())
    assert agent.closed


async def test_scripted_agent_counts_cancellations() -> None:
    """Cancelling a delayed reply is counted and leaves no active call."""
    agent = ScriptedAgent(Reply(delay=30))
    with anyio.move_on_after(0.01):
        await agent.execute(request(), EventCapture())
    assert (agent.cancelled, agent.active, agent.max_active) == (1, 0, 1)


async def test_memory_sink_filters_by_type() -> None:
    """MemorySink keeps events in order and filters them by class."""
    from atp_core.protocol import RunStarted, SuiteStarted

    sink = MemorySink()
    started = SuiteStarted(
        suite_run_id="s", suite="x", agent="a", total_runs=1, test_ids=("t",), started_at="now"
    )
    run = RunStarted(suite_run_id="s", test_id="t", run_number=1)
    await sink.handle(started)
    await sink.handle(run)
    assert sink.events == [started, run]
    assert sink.of_type(RunStarted) == [run]


def test_fake_clock_moves_only_when_told() -> None:
    """advance moves wall and monotonic time; tick advances on each monotonic reading."""
    clock = FakeClock()
    assert clock.now() == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    clock.advance(2.5)
    assert (clock.monotonic(), clock.now().second) == (2.5, 2)
    ticking = FakeClock(tick=1.0)
    assert [ticking.monotonic() for _ in range(3)] == [0.0, 1.0, 2.0]
    clock.set(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert clock.now().year == 2030


def test_event_capture_keeps_events_and_warnings() -> None:
    """EventCapture records what an adapter reports."""
    capture = EventCapture()
    event = Event(task_id="t", event_type="reasoning", timestamp="now", sequence=0)
    capture.event(event)
    capture.warning("w")
    assert (capture.events, capture.warnings) == ([event], ["w"])
