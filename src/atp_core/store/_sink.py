"""StoreSink: the runner's events, persisted in small batches off the runner's path."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import anyio
import structlog

from atp_core.errors import StorageError
from atp_core.protocol import (
    AgentSpec,
    RunFinished,
    RunnerEvent,
    RunRecord,
    Suite,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
    TestFinished,
    TestResult,
)
from atp_core.store._codec import run_rows
from atp_core.store._db import Tx
from atp_core.store._types import RunContext
from atp_core.store._write import SuiteMeta, Writer, started_from_result

if TYPE_CHECKING:
    from atp_core.store._store import Store

log = structlog.get_logger("atp.store")
Op = tuple[str, Any]


class StoreSink:
    """A ``RunSink`` that writes every suite run, run, test and outcome to a ``Store``.

    Use it as an async context manager around the run: events are buffered and written in
    one transaction per batch, at least every ``flush_interval`` seconds, as soon as
    ``max_batch`` runs wait, and at ``SuiteFinished``. A run is durable once its batch is
    committed. A failed write is raised as ``StorageError`` from the next ``handle`` call.
    """

    def __init__(
        self,
        store: Store,
        *,
        suite: Suite | None = None,
        agent: AgentSpec | None = None,
        context: RunContext | None = None,
        flush_interval: float = 0.2,
        max_batch: int = 500,
    ) -> None:
        self._store = store
        self._writer = Writer(tables=store.tables, tenant=store.tenant)
        self._meta = SuiteMeta(suite=suite, agent=agent, context=context or RunContext())
        self._interval = flush_interval
        self._max_batch = max_batch
        self._pending: list[Op] = []
        self._pending_runs = 0
        self._positions: dict[str, dict[str, int]] = {}
        self._failure: StorageError | None = None
        # The timer and a full batch may both flush; one writer at a time keeps batch order.
        self._lock = anyio.Lock()
        self._group: anyio.abc.TaskGroup | None = None

    async def __aenter__(self) -> Self:
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        self._group.start_soon(self._flush_periodically)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._group is not None
        self._group.cancel_scope.cancel()
        await self._group.__aexit__(None, None, None)
        self._group = None
        with anyio.CancelScope(shield=True):
            await self.flush()
        if exc is None and self._failure is not None:
            raise self._failure

    async def handle(self, event: RunnerEvent) -> None:
        """Queue one runner event; flush when the batch is full or the suite ended."""
        if self._group is None:
            raise RuntimeError("StoreSink must be used as 'async with StoreSink(store) as sink'")
        if self._failure is not None:
            raise self._failure
        match event:
            case SuiteStarted():
                self._positions[event.suite_run_id] = {
                    t: i for i, t in enumerate(event.test_ids)
                }
                self._pending.append(("start", event))
                await self.flush()
            case RunFinished():
                self._pending.append(("run", (event.suite_run_id, event.record)))
                self._pending_runs += 1
                if self._pending_runs >= self._max_batch:
                    await self.flush()
            case TestFinished():
                self._pending.append(("test", (event.suite_run_id, event.result)))
            case SuiteFinished():
                self._pending.append(("finish", event.result))
                await self.flush()
            case _:
                pass
        if self._failure is not None:
            raise self._failure

    async def flush(self) -> None:
        """Write everything queued so far in one transaction."""
        async with self._lock:
            ops, self._pending, self._pending_runs = self._pending, [], 0
            if not ops or self._failure is not None:
                return
            try:
                async with self._store.db.transaction("storing run results") as tx:
                    await self._write(tx, ops)
            except StorageError as exc:
                self._failure = exc
                log.error("store_write_failed", error=str(exc), lost_events=len(ops))

    async def _flush_periodically(self) -> None:
        while True:
            await anyio.sleep(self._interval)
            await self.flush()

    async def _write(self, tx: Tx, ops: list[Op]) -> None:
        runs: list[tuple[str, RunRecord]] = []
        for kind, value in ops:
            if kind == "run":
                runs.append(value)
                continue
            await self._write_runs(tx, runs)
            runs = []
            if kind == "start":
                await self._writer.suite_started(tx, value, self._meta)
            elif kind == "test":
                sid, result = value
                await self._writer.tests(tx, sid, [(self._position(sid, result), result)])
            else:
                await self._finish(tx, value)
        await self._write_runs(tx, runs)

    def _position(self, suite_run_id: str, result: TestResult) -> int:
        positions = self._positions.get(suite_run_id, {})
        return positions.get(result.test_id, len(positions))

    async def _write_runs(self, tx: Tx, runs: list[tuple[str, RunRecord]]) -> None:
        if not runs:
            return
        limit = self._store.inline_limit
        rows = [run_rows(self._store.tenant, sid, rec, limit) for sid, rec in runs]
        await self._writer.runs(tx, {sid for sid, _ in runs}, rows)

    async def _finish(self, tx: Tx, result: SuiteRunResult) -> None:
        if not await tx.fetch("SELECT id FROM suite_runs WHERE id = ?", result.id):
            await self._writer.suite_started(tx, started_from_result(result), self._meta)
        stored = {
            (r["test_id"], r["run_number"])
            for r in await tx.fetch(
                "SELECT test_id, run_number FROM runs WHERE suite_run_id = ?", result.id
            )
        }
        missing = [
            (result.id, run)
            for test in result.tests
            for run in test.runs
            if (run.test_id, run.run_number) not in stored
        ]
        await self._write_runs(tx, missing)
        await self._writer.tests(tx, result.id, list(enumerate(result.tests)))
        await self._writer.suite_finished(tx, result)


