"""A suite run's summary: every test and run with its verdict and score, and nothing more.

``atp_core.baseline.compare`` needs only each run's score and verdict. Rebuilding runs in
full reads and decodes their checks, events and artifacts (most of a suite run's rows), so
the comparison reads this summary instead: one query for the suite run, one for its tests
and one for the runs' scalar columns.
"""

from __future__ import annotations

from collections import defaultdict

from atp_core.protocol import RunRecord, SuiteRunResult, SuiteStatus, TestResult
from atp_core.store._codec import Row, decode_test
from atp_core.store._read import header_row
from atp_core.store._tables import Tables


def _summary_record(row: Row) -> RunRecord:
    """A run record from its row's scalar columns; every nested part keeps its default."""
    return RunRecord(
        test_id=row["test_id"],
        run_number=row["run_number"],
        agent=row["agent"],
        status=row["status"],
        verdict=row["verdict"],
        score=row["score"],
        started_at=row["started_at"],
        duration_seconds=row["duration_seconds"],
        version=row["version"],
        error=row["error"],
        error_kind=row["error_kind"],
        trace_id=row["trace_id"],
        workspace=row["workspace"],
    )


async def _summary_runs(tables: Tables, tenant: str, suite_run_id: str) -> list[Row]:
    t = tables.runs
    rows: list[Row] = (
        await t.select(
            t.test_id,
            t.run_number,
            t.agent,
            t.status,
            t.verdict,
            t.score,
            t.started_at,
            t.duration_seconds,
            t.version,
            t.error,
            t.error_kind,
            t.trace_id,
            t.workspace,
        )
        .where((t.tenant_id == tenant) & (t.suite_run_id == suite_run_id))
        .order_by(t.test_id, t.run_number)
    )
    return rows


async def load_suite_run_summary(
    tables: Tables, tenant: str, suite_run_id: str
) -> SuiteRunResult | None:
    """A suite run result whose run records hold no checks, events, artifacts or metrics."""
    row = await header_row(tables, tenant, suite_run_id)
    if row is None:
        return None
    by_test: dict[str, list[RunRecord]] = defaultdict(list)
    for run in await _summary_runs(tables, tenant, suite_run_id):
        by_test[run["test_id"]].append(_summary_record(run))
    t = tables.tests
    test_rows: list[Row] = (
        await t.select()
        .where((t.tenant_id == tenant) & (t.suite_run_id == suite_run_id))
        .order_by(t.position)
    )
    tests = []
    for test_row in test_rows:
        test = decode_test(test_row)
        tests.append(
            TestResult(
                test_id=test.test_id,
                name=test.name,
                verdict=test.verdict,
                reason=test.reason,
                stats=test.stats,
                runs=tuple(by_test.get(test.test_id, ())),
                tags=test.tags,
                pass_policy=test.pass_policy,
            )
        )
    status: SuiteStatus = row["status"] if row["status"] != "running" else "interrupted"
    return SuiteRunResult(
        id=row["id"],
        suite=row["suite"],
        agent=row["agent"],
        started_at=row["started_at"],
        finished_at=row["finished_at"] or "",
        status=status,
        tests=tuple(tests),
        version=row["result_version"],
        suite_version=row["suite_version"],
        atp_version=row["atp_version"],
    )
