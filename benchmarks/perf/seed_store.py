"""Fill a results store fast with realistic suite runs, for the store query benchmarks.

One template suite run (``--tests`` tests x ``--runs-per-test`` runs, two checks,
``--events`` events and one artifact per run, mixed verdicts and scores) is written
through the real ``StoreSink``, so every row is exactly what ``atp run`` stores. Its rows
are then copied with new ids (spread over suites, agents and a year of start times) by
bulk inserts on the store's own connection (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), one transaction per chunk. The default, 1,000,000 runs, is 2,000 suite runs
x 10 tests x 50 runs.

Usage: ``python benchmarks/perf/seed_store.py --runs 1000000 --db URL``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

import anyio

from atp_core.protocol import (
    CheckResult,
    Event,
    Metrics,
    RunFinished,
    RunRecord,
    StructuredArtifact,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
    TestFinished,
    TestResult,
    TestStats,
)
from atp_core.store import Store, StoreSink, open_store
from atp_core.store._db import Tx

TEMPLATE_ID = "seed-template"
SUITES, AGENTS = 20, 5
YEAR = 365 * 24 * 3600.0
START = 1_700_000_000.0


def _record(test: int, n: int, events: int) -> RunRecord:
    passed = (test * 7 + n * 3) % 10 != 0  # about 10% failures
    score = 0.95 if passed else 0.35
    return RunRecord(
        test_id=f"test-{test:02d}",
        run_number=n,
        agent="agent",
        status="completed",
        verdict="passed" if passed else "failed",
        score=score,
        started_at="2024-05-01T10:00:00+00:00",
        duration_seconds=1.5 + (n % 7) / 10,
        checks=(
            CheckResult(
                name="contains",
                status="passed" if passed else "failed",
                score=1.0 if passed else 0.0,
                message="pattern checked",
                details={"kind": "assertion"},
            ),
            CheckResult(
                name="behavior",
                status="passed",
                score=1.0,
                message="tools used",
                details={"kind": "assertion"},
            ),
        ),
        metrics=Metrics(total_tokens=1200 + n, cost_usd=0.002),
        events=tuple(
            Event(
                task_id=f"t{test}-{n}",
                event_type="tool_call",
                timestamp="2024-05-01T10:00:00Z",
                sequence=s,
                payload={"tool": "search", "input": {"q": "x"}, "status": "success"},
            )
            for s in range(events)
        ),
        artifacts=(StructuredArtifact(name="answer", data={"text": "forty-two"}),),
    )


def _test_result(test: int, runs: Sequence[RunRecord]) -> TestResult:
    passed = sum(r.verdict == "passed" for r in runs)
    n = len(runs)
    stats = TestStats(
        n=n,
        passed=passed,
        pass_rate=passed / n,
        pass_rate_ci=(0.8, 0.95),
        k=n,
        pass_at_k=1.0,
        pass_hat_k=0.0,
        mean_score=0.9,
        std_score=0.1,
        score_ci=(0.85, 0.95),
        min_score=0.35,
        max_score=0.95,
        mean_duration=1.8,
        mean_tokens=1225.0,
        total_cost=0.1,
        flaky=0 < passed < n,
        errors=0,
    )
    return TestResult(
        test_id=f"test-{test:02d}",
        name=f"Test {test}",
        verdict="passed" if passed == n else "failed",
        reason="seeded",
        stats=stats,
        runs=tuple(runs),
    )


async def write_template(store: Store, tests: int, runs: int, events: int) -> None:
    """Write the template suite run through the real StoreSink."""
    ids = tuple(f"test-{t:02d}" for t in range(tests))
    results = []
    async with StoreSink(store) as sink:
        await sink.handle(
            SuiteStarted(
                suite_run_id=TEMPLATE_ID,
                suite="suite-0",
                agent="agent-0",
                total_runs=tests * runs,
                test_ids=ids,
                started_at="2024-05-01T10:00:00+00:00",
            )
        )
        for t in range(tests):
            records = [_record(t, n, events) for n in range(1, runs + 1)]
            for r in records:
                await sink.handle(RunFinished(suite_run_id=TEMPLATE_ID, record=r))
            result = _test_result(t, records)
            results.append(result)
            await sink.handle(TestFinished(suite_run_id=TEMPLATE_ID, result=result))
        await sink.handle(
            SuiteFinished(
                suite_run_id=TEMPLATE_ID,
                result=SuiteRunResult(
                    id=TEMPLATE_ID,
                    suite="suite-0",
                    agent="agent-0",
                    started_at="2024-05-01T10:00:00+00:00",
                    finished_at="2024-05-01T10:30:00+00:00",
                    status="completed",
                    tests=tuple(results),
                ),
            )
        )


async def _rows(tx: Tx, sql: str) -> list[dict[str, Any]]:
    return await tx.fetch(sql, TEMPLATE_ID)


async def load_template(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of the template suite run, by table."""
    child = "SELECT * FROM {} WHERE run_id IN (SELECT id FROM runs WHERE suite_run_id = ?)"
    async with store.db.transaction("reading the seed template") as tx:
        return {
            "suite_runs": await _rows(tx, "SELECT * FROM suite_runs WHERE id = ?"),
            "tests": await _rows(tx, "SELECT * FROM tests WHERE suite_run_id = ?"),
            "runs": await _rows(tx, "SELECT * FROM runs WHERE suite_run_id = ?"),
            **{t: await _rows(tx, child.format(t)) for t in ("checks", "events", "artifacts")},
        }


def _copy(template: dict[str, list[dict[str, Any]]], k: int) -> dict[str, list[dict[str, Any]]]:
    """The template's rows as suite run number ``k``: new ids, suite, agent and time."""
    sid = f"seed-{k:07d}"
    ts = START + YEAR * k / 2000 % YEAR
    started = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts))
    header = {
        **template["suite_runs"][0],
        "id": sid,
        "suite": f"suite-{k % SUITES}",
        "agent": f"agent-{k % AGENTS}",
        "started_ts": ts,
        "started_at": started,
    }
    out: dict[str, list[dict[str, Any]]] = {"suite_runs": [header]}
    out["tests"] = [
        {**r, "id": f"{sid}/{r['test_id']}", "suite_run_id": sid} for r in template["tests"]
    ]
    out["runs"] = [
        {
            **r,
            "id": f"{sid}/{r['test_id']}/{r['run_number']}",
            "suite_run_id": sid,
            "agent": header["agent"],
        }
        for r in template["runs"]
    ]
    new_id = {r["id"]: n["id"] for r, n in zip(template["runs"], out["runs"], strict=True)}
    for table in ("checks", "events", "artifacts"):
        out[table] = [{**r, "run_id": new_id[r["run_id"]]} for r in template[table]]
    return out


async def _insert(tx: Tx, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = [c for c in rows[0] if c != "id" or table not in ("checks", "events", "artifacts")]
    records = [tuple(r[c] for c in cols) for r in rows]
    if tx.dialect == "postgres":
        await tx.connection.copy_records_to_table(table, records=records, columns=cols)
        return
    marks = ", ".join("?" for _ in cols)
    await tx.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", records)


async def seed(
    url: str,
    runs: int,
    tests: int = 10,
    per_test: int = 50,
    events: int = 2,
    chunk: int = 20,
    progress: bool = True,
) -> tuple[int, float]:
    """Seed ``runs`` runs into ``url``; return (suite runs written, seconds)."""
    start = time.perf_counter()
    suite_runs = max(1, runs // (tests * per_test))
    async with open_store(url) as store:
        await write_template(store, tests, per_test, events)
        template = await load_template(store)
        async with store.db.transaction("dropping the seed template") as tx:
            for table in ("checks", "events", "artifacts"):
                await tx.execute(
                    f"DELETE FROM {table} WHERE run_id IN "
                    "(SELECT id FROM runs WHERE suite_run_id = ?)",
                    TEMPLATE_ID,
                )
            for table in ("runs", "tests"):
                await tx.execute(f"DELETE FROM {table} WHERE suite_run_id = ?", TEMPLATE_ID)
            await tx.execute("DELETE FROM suite_runs WHERE id = ?", TEMPLATE_ID)
        order = ("suite_runs", "tests", "runs", "checks", "events", "artifacts")
        for first in range(0, suite_runs, chunk):
            copies = [_copy(template, k) for k in range(first, min(first + chunk, suite_runs))]
            async with store.db.transaction("seeding") as tx:
                for table in order:
                    await _insert(tx, table, [r for c in copies for r in c[table]])
            if progress:
                done = min(first + chunk, suite_runs) * tests * per_test
                print(f"\r  seeded {done:,} runs", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
        # Planner statistics, as autovacuum would gather after a bulk load on PostgreSQL:
        # right after COPY they describe empty tables and the planner picks full scans.
        async with store.db.transaction("analyzing") as tx:
            await tx.execute("ANALYZE")
    return suite_runs, time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and seed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--db", required=True, help="sqlite:///PATH or postgresql://...")
    parser.add_argument("--tests", type=int, default=10, help="tests per suite run")
    parser.add_argument("--runs-per-test", type=int, default=50)
    parser.add_argument("--events", type=int, default=2, help="events per run")
    args = parser.parse_args(argv)
    suite_runs, seconds = anyio.run(
        seed, args.db, args.runs, args.tests, args.runs_per_test, args.events
    )
    total = suite_runs * args.tests * args.runs_per_test
    print(
        f"seeded {suite_runs:,} suite runs, {total:,} runs in {seconds:.1f} s "
        f"({total / seconds:,.0f} runs/s) into {args.db}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
