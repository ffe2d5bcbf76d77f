"""Baselines saved in the store, loaded back and compared, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import pytest

from atp_core.baseline import compare, compare_with_baseline, list_baselines, save_baseline
from atp_core.baseline import load_baseline as load
from atp_core.errors import StorageError
from atp_core.protocol import SuiteFinished, SuiteRunResult, SuiteStarted
from atp_core.store import Store, StoreSink, open_store

pytestmark = pytest.mark.anyio
Build = Callable[[str, dict[str, list[tuple[float, str]]]], SuiteRunResult]
Flaky = Callable[[float, int, int], list[tuple[float, str]]]


async def _pg(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(host="127.0.0.1", port=5432, user="postgres",
                                 database="test", timeout=3)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'atp.db'}"
        return
    name = f"atp_test_{uuid.uuid4().hex[:12]}"
    try:
        anyio.run(_pg, f"CREATE DATABASE {name}")
    except (OSError, TimeoutError) as exc:
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is unreachable: {exc}")
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    anyio.run(_pg, f"DROP DATABASE {name} WITH (FORCE)")


async def save(store: Store, result: SuiteRunResult) -> None:
    """Store a finished suite run."""
    async with StoreSink(store) as sink:
        await sink.handle(SuiteFinished(suite_run_id=result.id, result=result))


async def test_stored_comparison_equals_in_memory_comparison(
    db_url: str, suite_result: Build, flaky: Flaky
) -> None:
    """Comparing through the store uses exactly the scores and verdicts that were run."""
    base = suite_result("base", {"t1": flaky(0.1, 30, 1), "t2": flaky(0.1, 30, 2)})
    cur = suite_result("cur", {"t1": flaky(0.7, 30, 3), "t2": flaky(0.1, 30, 4)})
    async with open_store(db_url) as store:
        await save(store, base)
        await save(store, cur)
        now = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
        record = await save_baseline(store, "base", "healthy", now=now)
        stored = await compare_with_baseline(store, "cur", "healthy")
        listed = await list_baselines(store)
        loaded = await load(store, "healthy")
    assert record.created_at == now.isoformat()
    assert record.snapshot["tests"]["t1"]["scores"] == [s for s, _ in flaky(0.1, 30, 1)]
    assert [b.name for b in listed] == ["healthy"]
    assert stored == compare(cur, loaded)
    assert stored == compare(cur, base)
    assert [t.direction for t in stored.tests] == ["regression", "no_change"]


async def test_missing_baseline_or_suite_run_says_what_to_do(db_url: str) -> None:
    """An unknown baseline or suite run is one line naming the command that fixes it."""
    async with open_store(db_url) as store:
        with pytest.raises(StorageError, match="atp baseline save SUITE_RUN_ID --name NAME"):
            await load(store, "nope")
        with pytest.raises(StorageError, match="is not in the results store"):
            await save_baseline(store, "nope", "x")


async def test_a_running_suite_run_cannot_become_a_baseline(db_url: str) -> None:
    """A suite run that has not finished is refused, pointing at --resume."""
    async with open_store(db_url) as store:
        async with StoreSink(store) as sink:
            await sink.handle(SuiteStarted(
                suite_run_id="sr-run", suite="demo", agent="a", total_runs=1,
                test_ids=("t1",), started_at="2024-01-01T00:00:00Z"))
        with pytest.raises(StorageError, match="atp run --resume sr-run"):
            await save_baseline(store, "sr-run", "x")
