"""Write runner events to the tables, idempotently: a row sent twice is stored once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from atp_core.protocol import AgentSpec, Suite, SuiteRunResult, SuiteStarted, TestResult
from atp_core.store._codec import RunRows, dumps, encode_test, stable_id
from atp_core.store._db import Tx
from atp_core.store._secrets import mask_secrets
from atp_core.store._tables import Tables, insert_columns
from atp_core.store._types import RunContext

Row = dict[str, Any]


@attrs.frozen(kw_only=True)
class Writer:
    """Writes into one tenant's rows of one database, inside a caller's transaction."""

    tables: Tables
    tenant: str

    async def insert(self, tx: Tx, table: Any, rows: Sequence[Row]) -> None:
        """Insert ``rows``; rows whose key already exists are left as they are."""
        if not rows:
            return
        cols = insert_columns(table)
        # Table and column names come from our own table classes, never from input.
        sql = (
            f"INSERT INTO {table._meta.tablename} ({', '.join(cols)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in cols)}) ON CONFLICT DO NOTHING"
        )
        await tx.executemany(sql, [tuple(r[c] for c in cols) for r in rows])

    async def suite_started(
        self, tx: Tx, event: SuiteStarted, meta: SuiteMeta
    ) -> None:
        """Create the suite run as ``running`` (or mark a resumed one running again)."""
        suite_id = await self._suite(tx, event.suite, meta.suite)
        agent_id = await self._agent(tx, meta.agent)
        existing = await tx.fetch("SELECT id FROM suite_runs WHERE id = ?", event.suite_run_id)
        if existing:
            await tx.execute(
                "UPDATE suite_runs SET status = 'running', finished_at = NULL, "
                "total_runs = ?, test_ids = ? WHERE id = ?",
                event.total_runs, dumps(list(event.test_ids)), event.suite_run_id,
            )
            return
        row = _header_row(self.tenant, event, meta)
        row.update(suite_id=suite_id, agent_id=agent_id)
        await self.insert(tx, self.tables.suite_runs, [row])

    async def _suite(self, tx: Tx, name: str, suite: Suite | None) -> str:
        version = suite.version if suite else "1.0"
        content_hash = suite.content_hash if suite else None
        sid = stable_id(self.tenant, name, version, content_hash)
        row = {"id": sid, "tenant_id": self.tenant, "name": name, "version": version,
               "content_hash": content_hash}
        await self.insert(tx, self.tables.suites, [row])
        return sid

    async def _agent(self, tx: Tx, agent: AgentSpec | None) -> str | None:
        if agent is None:
            return None
        config = dumps(mask_secrets(agent.config))
        aid = stable_id(self.tenant, agent.name, agent.type, config)
        row = {"id": aid, "tenant_id": self.tenant, "name": agent.name,
               "adapter_type": agent.type, "config": config}
        await self.insert(tx, self.tables.agents, [row])
        return aid

    async def runs(self, tx: Tx, suite_run_ids: set[str], rows: Sequence[RunRows]) -> None:
        """Store finished runs with their checks, events and artifacts."""
        t = self.tables
        await self.insert(tx, t.runs, [r.run for r in rows])
        await self.insert(tx, t.checks, [c for r in rows for c in r.checks])
        await self.insert(tx, t.events, [e for r in rows for e in r.events])
        await self.insert(tx, t.artifacts, [a for r in rows for a in r.artifacts])
        await self.insert(tx, t.artifact_blobs, [b for r in rows for b in r.blobs])
        for sid in sorted(suite_run_ids):
            await tx.execute(
                "UPDATE suite_runs SET runs_done = "
                "(SELECT COUNT(*) FROM runs WHERE suite_run_id = ?) WHERE id = ?",
                sid, sid,
            )

    async def tests(
        self, tx: Tx, suite_run_id: str, tests: Sequence[tuple[int, TestResult]]
    ) -> None:
        """Store (or replace) finished tests' verdicts and statistics."""
        rows = [encode_test(self.tenant, suite_run_id, pos, t) for pos, t in tests]
        await tx.executemany("DELETE FROM tests WHERE id = ?", [(r["id"],) for r in rows])
        await self.insert(tx, self.tables.tests, rows)

    async def suite_finished(self, tx: Tx, result: SuiteRunResult) -> None:
        """Record the end of a suite run: status, finish time and test counts."""
        counts = result.counts
        await tx.execute(
            "UPDATE suite_runs SET status = ?, finished_at = ?, tests_total = ?, "
            "tests_passed = ?, tests_failed = ?, tests_error = ?, atp_version = ?, "
            "suite_version = ?, result_version = ? WHERE id = ?",
            result.status, result.finished_at, len(result.tests), counts["passed"],
            counts["failed"], counts["error"], result.atp_version, result.suite_version,
            result.version, result.id,
        )


@attrs.frozen(kw_only=True)
class SuiteMeta:
    """What the sink knows about the suite run beyond the runner's events."""

    suite: Suite | None = None
    agent: AgentSpec | None = None
    context: RunContext = attrs.Factory(RunContext)


def _timestamp(text: str) -> float:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.now(dt.UTC).timestamp()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _header_row(tenant: str, event: SuiteStarted, meta: SuiteMeta) -> Row:
    ctx = meta.context
    return {
        "id": event.suite_run_id, "tenant_id": tenant, "suite_id": None, "agent_id": None,
        "suite": event.suite, "suite_version": meta.suite.version if meta.suite else "1.0",
        "agent": event.agent, "status": "running", "started_at": event.started_at,
        "started_ts": _timestamp(event.started_at), "finished_at": None,
        "total_runs": event.total_runs, "runs_done": 0,
        "test_ids": dumps(list(event.test_ids)), "tests_total": 0, "tests_passed": 0,
        "tests_failed": 0, "tests_error": 0, "created_by": ctx.created_by, "host": ctx.host,
        "atp_version": ctx.atp_version, "git_commit": ctx.git_commit, "result_version": 1,
    }


def started_from_result(result: SuiteRunResult) -> SuiteStarted:
    """The start event a suite run would have had (for results stored after the fact)."""
    ids = tuple(t.test_id for t in result.tests)
    total = sum(len(t.runs) for t in result.tests)
    return SuiteStarted(
        suite_run_id=result.id, suite=result.suite, agent=result.agent, total_runs=total,
        test_ids=ids, started_at=result.started_at,
    )
