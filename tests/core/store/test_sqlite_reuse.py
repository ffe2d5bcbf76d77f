"""SQLite reads reuse open connections, and still see every committed write."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from piccolo.querystring import QueryString

from atp_core.protocol import RunRecord, SuiteFinished, SuiteRunResult
from atp_core.store import Store, StoreSink, open_store
from atp_core.store._sqlite_engine import MAX_IDLE, ReusingSQLiteEngine

pytestmark = pytest.mark.anyio

Builder = Callable[..., RunRecord]
ResultBuilder = Callable[..., SuiteRunResult]


def _reader_threads() -> int:
    return sum("_connection_worker_thread" in t.name for t in threading.enumerate())


async def save(store: Store, result: SuiteRunResult) -> None:
    """Store a finished suite run."""
    async with StoreSink(store) as sink:
        await sink.handle(SuiteFinished(suite_run_id=result.id, result=result))


async def test_reads_see_writes_committed_through_another_store(
    tmp_path: Path, make_record: Builder, make_result: ResultBuilder
) -> None:
    """A reused read connection sees a suite run another store committed after its last read."""
    url = f"sqlite:///{tmp_path / 'atp.db'}"
    async with open_store(url) as reader, open_store(url) as writer:
        assert (await reader.list_suite_runs()).total == 0
        await save(writer, make_result("sr-1", {"t1": [make_record("t1", 1)]}))
        assert [h.id for h in (await reader.list_suite_runs()).items] == ["sr-1"]
        await save(writer, make_result("sr-2", {"t1": [make_record("t1", 1)]}))
        assert (await reader.list_suite_runs()).total == 2
        assert await reader.suite_run_header("sr-2") is not None


async def test_many_reads_keep_few_connections_and_close_them_all(
    tmp_path: Path, make_record: Builder, make_result: ResultBuilder
) -> None:
    """Fifty reads, twenty at once, leave at most MAX_IDLE connections, all gone at close."""
    before = _reader_threads()
    async with open_store(f"sqlite:///{tmp_path / 'atp.db'}") as store:
        await save(store, make_result("sr-1", {"t1": [make_record("t1", 1)]}))
        for _ in range(30):
            assert (await store.list_suite_runs()).total == 1
        assert _reader_threads() - before <= 1
        totals: list[int] = []

        async def read() -> None:
            totals.append((await store.list_suite_runs()).total)

        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(read)
        assert totals == [1] * 20
        assert _reader_threads() - before <= MAX_IDLE
    for _ in range(50):  # closing is queued to each connection's thread
        if _reader_threads() == before:
            break
        await anyio.sleep(0.02)
    assert _reader_threads() == before


async def test_a_failed_read_leaves_the_engine_usable(tmp_path: Path) -> None:
    """A read that fails raises the driver error, and the next read works."""
    engine = ReusingSQLiteEngine(str(tmp_path / "x.db"), timeout=2)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            await engine.run_querystring(QueryString("SELECT * FROM missing"))
        rows = await engine.run_querystring(QueryString("SELECT 1 AS one"))
        assert rows == [{"one": 1}]
    finally:
        await engine.close_connection_pool()


async def test_a_closed_store_engine_still_reads_with_its_own_connections(
    tmp_path: Path,
) -> None:
    """After close_connection_pool a read opens and closes its own connection."""
    before = _reader_threads()
    engine = ReusingSQLiteEngine(str(tmp_path / "x.db"), timeout=2)
    await engine.close_connection_pool()
    assert await engine.run_querystring(QueryString("SELECT 2 AS two")) == [{"two": 2}]
    for _ in range(50):
        if _reader_threads() == before:
            break
        await anyio.sleep(0.02)
    assert _reader_threads() == before
