"""StoreSink: runner events become durable rows, in batches, exactly once."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import pytest

from atp_core import protocol
from atp_core.protocol import (
    AgentSpec,
    RunFinished,
    RunRecord,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
)
from atp_core.store import RunContext, StoreSink, open_store

pytestmark = pytest.mark.anyio


def started(result: SuiteRunResult) -> SuiteStarted:
    """The start event of ``result``'s suite run."""
    return SuiteStarted(
        suite_run_id=result.id, suite=result.suite, agent=result.agent,
        total_runs=sum(len(t.runs) for t in result.tests),
        test_ids=tuple(t.test_id for t in result.tests), started_at=result.started_at,
    )


async def emit_all(sink: StoreSink, result: SuiteRunResult) -> None:
    """Send a whole suite run through the sink, as the runner would."""
    await sink.handle(started(result))
    for test in result.tests:
        for run in test.runs:
            await sink.handle(RunFinished(suite_run_id=result.id, record=run))
        await sink.handle(protocol.TestFinished(suite_run_id=result.id, result=test))
    await sink.handle(SuiteFinished(suite_run_id=result.id, result=result))


async def test_suite_run_is_created_running_at_suite_started(
    db_url: str,
    make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
) -> None:
    """The suite run row exists with status running as soon as the suite starts."""
    result = make_result("sr-1", {"t1": [make_record("t1", 1)]})
    async with open_store(db_url) as store, StoreSink(store) as sink:
        await sink.handle(started(result))
        header = await store.suite_run_header("sr-1")
        assert header is not None
        assert header.status == "running"
        assert header.finished_at is None
        assert header.test_ids == ("t1",)


async def test_whole_suite_run_is_stored_and_rebuilt_exactly(
    db_url: str,
    make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
    as_stored: Callable[[RunRecord], RunRecord],
) -> None:
    """Every run comes back equal to what the runner produced (secrets masked)."""
    runs = {"t1": [make_record("t1", 1), make_record("t1", 2, score=0.2, verdict="failed")],
            "t2": [make_record("t2", 1, content="x" * 5000)]}
    result = make_result("sr-2", runs)
    async with open_store(db_url, inline_limit=1000) as store:
        async with StoreSink(store) as sink:
            await emit_all(sink, result)
        loaded = await store.load_suite_run_result("sr-2")
        header = await store.suite_run_header("sr-2")
    expected_tests = result.tests
    assert loaded is not None
    assert header is not None
    assert header.status == "completed"
    assert (header.tests_total, header.tests_passed, header.tests_failed) == (2, 1, 1)
    assert header.runs_done == 3
    for got, want in zip(loaded.tests, expected_tests, strict=True):
        assert got.runs == tuple(as_stored(r) for r in want.runs)
        assert (got.stats, got.verdict, got.reason, got.tags) == (
            want.stats, want.verdict, want.reason, want.tags)
    assert (loaded.status, loaded.finished_at, loaded.atp_version) == (
        "completed", result.finished_at, "0.1.0")


async def test_runs_written_before_a_crash_survive_exactly_once(
    db_url: str,
    make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
    as_stored: Callable[[RunRecord], RunRecord],
) -> None:
    """Runs finished before the process stops are there once; the suite run stays running."""
    records = [make_record("t1", i) for i in range(1, 8)]
    result = make_result("sr-3", {"t1": records})
    async with open_store(db_url) as store, StoreSink(store, max_batch=3) as sink:
        await sink.handle(started(result))
        for run in records[:5]:
            await sink.handle(RunFinished(suite_run_id="sr-3", record=run))
    async with open_store(db_url) as store:
        done = await store.completed_runs("sr-3")
        header = await store.suite_run_header("sr-3")
    assert done == tuple(as_stored(r) for r in records[:5])
    assert header is not None
    assert header.status == "running"
    assert header.runs_done == 5


async def test_a_finished_run_is_durable_within_the_flush_interval(
    db_url: str,
    make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
) -> None:
    """A run is visible to another connection shortly after it finished, with no more events."""
    result = make_result("sr-4", {"t1": [make_record("t1", 1)]})
    async with open_store(db_url) as store, StoreSink(store, flush_interval=0.05) as sink:
        await sink.handle(started(result))
        await sink.handle(RunFinished(suite_run_id="sr-4", record=result.tests[0].runs[0]))
        async with open_store(db_url) as other:
            await anyio.sleep(0.5)
            assert len(await other.completed_runs("sr-4")) == 1


async def test_resume_adds_only_missing_runs(
    db_url: str,
    make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
    as_stored: Callable[[RunRecord], RunRecord],
) -> None:
    """A resumed suite run re-sending stored runs keeps one copy of each and completes."""
    records = [make_record("t1", i) for i in range(1, 5)]
    result = make_result("sr-5", {"t1": records})
    async with open_store(db_url) as store:
        async with StoreSink(store) as sink:
            await sink.handle(started(result))
            for run in records[:2]:
                await sink.handle(RunFinished(suite_run_id="sr-5", record=run))
        async with StoreSink(store) as sink:
            await emit_all(sink, result)
        done = await store.completed_runs("sr-5")
        detail = await store.get_test("sr-5", "t1")
        header = await store.suite_run_header("sr-5")
    assert done == tuple(as_stored(r) for r in records)
    assert detail is not None
    assert len(detail.runs) == 4
    assert all(len(r.checks) == 2 for r in detail.runs)
    assert header is not None
    assert header.status == "completed"
    assert header.runs_done == 4


async def test_suite_finished_alone_stores_the_whole_result(
    db_url: str,
    make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
) -> None:
    """A sink that only sees SuiteFinished still stores the suite run, tests and runs."""
    result = make_result("sr-6", {"t1": [make_record("t1", 1)], "t2": [make_record("t2", 1)]})
    async with open_store(db_url) as store:
        async with StoreSink(store) as sink:
            await sink.handle(SuiteFinished(suite_run_id="sr-6", result=result))
        detail = await store.get_suite_run("sr-6")
    assert detail is not None
    assert [t.test_id for t in detail.tests] == ["t1", "t2"]
    assert detail.header.status == "completed"
    assert detail.header.runs_done == 2


async def test_secrets_in_agent_config_are_masked(
    db_url: str, make_record: Callable[..., RunRecord],
    make_result: Callable[..., SuiteRunResult],
) -> None:
    """Secret-looking keys of the agent and adapter config never reach the database."""
    agent = AgentSpec(name="echo", type="http", config={
        "endpoint": "http://x", "headers": {"Authorization": "Bearer abc"}, "token": "t0k"})
    result = make_result("sr-7", {"t1": [make_record("t1", 1)]})
    async with open_store(db_url) as store:
        async with StoreSink(store, agent=agent, context=RunContext(host="h1")) as sink:
            await emit_all(sink, result)
        stored = await store.tables.agents.select().first()
        run = await store.tables.runs.select(store.tables.runs.adapter).first()
        header = await store.suite_run_header("sr-7")
    assert "Bearer abc" not in stored["config"]
    assert "t0k" not in stored["config"]
    assert '"endpoint":"http://x"' in stored["config"]
    assert "sk-secret" not in run["adapter"]
    assert "***" in run["adapter"]
    assert header is not None
    assert header.host == "h1"


async def test_handle_outside_async_with_is_refused(db_url: str) -> None:
    """Using the sink without entering it is a programming error, said plainly."""
    async with open_store(db_url) as store:
        sink = StoreSink(store)
        with pytest.raises(RuntimeError, match="async with"):
            await sink.handle(SuiteStarted(
                suite_run_id="x", suite="s", agent="a", total_runs=0, test_ids=(),
                started_at="2024-01-01T00:00:00Z"))


