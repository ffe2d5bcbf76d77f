"""Reading suite runs, tests and trends: the query API behind the dashboard and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

import attrs
from piccolo.query.functions.aggregate import Avg

from atp_core.protocol import RunRecord, SuiteRunResult, SuiteStatus, TestResult
from atp_core.store._codec import Row, decode_test
from atp_core.store._read_runs import full_records, run_details, runs_of_suite_run
from atp_core.store._tables import Tables
from atp_core.store._types import (
    Page,
    SuiteRunDetail,
    SuiteRunHeader,
    TestDetail,
    TrendPoint,
)

_HEADER_FIELDS = tuple(f.name for f in attrs.fields(SuiteRunHeader))


def header_from_row(row: Row) -> SuiteRunHeader:
    """A suite run header from its row."""
    values: dict[str, Any] = {k: row[k] for k in _HEADER_FIELDS if k != "test_ids"}
    return SuiteRunHeader(test_ids=tuple(json.loads(row["test_ids"])), **values)


def _since_ts(since: dt.datetime | str) -> float:
    moment = dt.datetime.fromisoformat(since) if isinstance(since, str) else since
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


@attrs.frozen(kw_only=True)
class SuiteRunFilter:
    """Which suite runs to list."""

    suite: str | None = None
    agent: str | None = None
    since: dt.datetime | str | None = None
    status: str | None = None


async def list_suite_runs(
    tables: Tables, tenant: str, flt: SuiteRunFilter, limit: int, offset: int
) -> Page[SuiteRunHeader]:
    """Suite runs, newest first, filtered and paged."""
    t = tables.suite_runs
    where = t.tenant_id == tenant
    if flt.suite is not None:
        where &= t.suite == flt.suite
    if flt.agent is not None:
        where &= t.agent == flt.agent
    if flt.status is not None:
        where &= t.status == flt.status
    if flt.since is not None:
        where &= t.started_ts >= _since_ts(flt.since)
    rows = await t.select().where(where).order_by(t.started_ts, ascending=False).limit(
        limit
    ).offset(offset)
    total = await t.count().where(where)
    items = tuple(header_from_row(r) for r in rows)
    return Page(items=items, total=total, offset=offset, limit=limit)


async def header_row(tables: Tables, tenant: str, suite_run_id: str) -> Row | None:
    """The row of one suite run, or None."""
    t = tables.suite_runs
    row: Row | None = await t.select().where(
        (t.tenant_id == tenant) & (t.id == suite_run_id)
    ).first()
    return row


async def _test_rows(tables: Tables, tenant: str, suite_run_id: str) -> list[Row]:
    t = tables.tests
    rows: list[Row] = await t.select().where(
        (t.tenant_id == tenant) & (t.suite_run_id == suite_run_id)
    ).order_by(t.position)
    return rows


async def get_suite_run(tables: Tables, tenant: str, suite_run_id: str) -> SuiteRunDetail | None:
    """One suite run with its finished tests."""
    row = await header_row(tables, tenant, suite_run_id)
    if row is None:
        return None
    tests = await _test_rows(tables, tenant, suite_run_id)
    return SuiteRunDetail(header=header_from_row(row), tests=tuple(decode_test(r) for r in tests))


async def get_test(
    tables: Tables, tenant: str, suite_run_id: str, test_id: str
) -> TestDetail | None:
    """One test of a suite run with all its runs and their checks."""
    if await header_row(tables, tenant, suite_run_id) is None:
        return None
    t, r = tables.tests, tables.runs
    test = await t.select().where(
        (t.tenant_id == tenant) & (t.suite_run_id == suite_run_id) & (t.test_id == test_id)
    ).first()
    runs = await r.select().where(
        (r.tenant_id == tenant) & (r.suite_run_id == suite_run_id) & (r.test_id == test_id)
    ).order_by(r.run_number)
    if test is None and not runs:
        return None
    return TestDetail(
        suite_run_id=suite_run_id, test_id=test_id,
        test=None if test is None else decode_test(test),
        runs=tuple(await run_details(tables, runs)),
    )


async def trend(tables: Tables, tenant: str, suite: str, agent: str, limit: int) -> tuple[
    TrendPoint, ...
]:
    """The latest ``limit`` suite runs of a suite/agent pair, oldest first."""
    s, t = tables.suite_runs, tables.tests
    rows = await s.select().where(
        (s.tenant_id == tenant) & (s.suite == suite) & (s.agent == agent)
    ).order_by(s.started_ts, ascending=False).limit(limit)
    ids = [r["id"] for r in rows]
    means: dict[str, float | None] = {}
    if ids:
        agg = await t.select(t.suite_run_id, Avg(t.mean_score, alias="mean")).where(
            t.suite_run_id.is_in(ids)
        ).group_by(t.suite_run_id)
        means = {a["suite_run_id"]: a["mean"] for a in agg}
    return tuple(
        TrendPoint(
            suite_run_id=r["id"], started_at=r["started_at"], status=r["status"],
            tests_total=r["tests_total"], tests_passed=r["tests_passed"],
            pass_rate=r["tests_passed"] / r["tests_total"] if r["tests_total"] else None,
            mean_score=means.get(r["id"]),
        )
        for r in reversed(rows)
    )


async def completed_runs(tables: Tables, tenant: str, suite_run_id: str) -> tuple[RunRecord, ...]:
    """Every stored run of a suite run, rebuilt in full, once each."""
    return tuple(await full_records(tables, await runs_of_suite_run(tables, tenant, suite_run_id)))


async def load_suite_run_result(
    tables: Tables, tenant: str, suite_run_id: str
) -> SuiteRunResult | None:
    """Rebuild a whole suite run result (tests with all runs) from the store."""
    row = await header_row(tables, tenant, suite_run_id)
    if row is None:
        return None
    by_test: dict[str, list[RunRecord]] = defaultdict(list)
    for record in await completed_runs(tables, tenant, suite_run_id):
        by_test[record.test_id].append(record)
    tests = []
    for test_row in await _test_rows(tables, tenant, suite_run_id):
        test = decode_test(test_row)
        tests.append(TestResult(
            test_id=test.test_id, name=test.name, verdict=test.verdict, reason=test.reason,
            stats=test.stats, runs=tuple(by_test.get(test.test_id, ())), tags=test.tags,
            pass_policy=test.pass_policy,
        ))
    status: SuiteStatus = row["status"] if row["status"] != "running" else "interrupted"
    return SuiteRunResult(
        id=row["id"], suite=row["suite"], agent=row["agent"], started_at=row["started_at"],
        finished_at=row["finished_at"] or "", status=status, tests=tuple(tests),
        version=row["result_version"], suite_version=row["suite_version"],
        atp_version=row["atp_version"],
    )
